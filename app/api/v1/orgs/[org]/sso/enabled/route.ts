import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { setSsoEnabled } from "@/lib/orgs/sso";
import { ssoEnableSchema } from "@/lib/schemas/orgs";

// PUT /api/v1/orgs/[org]/sso/enabled — switch single sign-on on (after a successful test sign-in) or off (admin)
export const PUT = withOrg({ role: "admin" }, async ({ req, db, org, actor }) => {
  const { enabled } = ssoEnableSchema.parse(await readJson(req));
  return Response.json({ settings: await setSsoEnabled(db, { orgId: org.id, enabled, actor }) });
});
