import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { getSsoSettings, saveSsoSettings } from "@/lib/orgs/sso";

// GET /api/v1/orgs/[org]/sso — the single sign-on settings, without the client secret (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org }) => Response.json({ settings: await getSsoSettings(db, { orgId: org.id }) }));

// PUT /api/v1/orgs/[org]/sso — save issuer (discovery read through the outbound guard), client, domains, default role (admin)
export const PUT = withOrg({ role: "admin" }, async ({ req, db, org, actor }) =>
  Response.json({ settings: await saveSsoSettings(db, { orgId: org.id, input: await readJson(req), actor, now: new Date() }) }),
);
