import { withOrg } from "@/lib/auth/with-org";
import { getAlertSettings, setAlertSettings } from "@/lib/at-risk/settings";
import { readJson } from "@/lib/http/read-json";

// GET /api/v1/orgs/[org]/notifications/levels — the organization's alert levels (warning, critical, sustained, leak horizon)
export const GET = withOrg({ role: "viewer" }, async ({ db, org }) => Response.json(await getAlertSettings(db, { orgId: org.id })));

// PUT /api/v1/orgs/[org]/notifications/levels — changes them (admin; audited)
export const PUT = withOrg({ role: "admin" }, async ({ req, db, org, actor }) => Response.json(await setAlertSettings(db, { orgId: org.id, input: await readJson(req), actor })));
