import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { createInvite } from "@/lib/orgs/members";
import { publicBaseUrl } from "@/lib/http/public-url";

// POST /api/v1/orgs/[org]/invites — invite an email (single-use link, 7 days; the link is in this answer only) (admin)
export const POST = withOrg({ role: "admin" }, async ({ req, db, org, actor }) => {
  const i = await createInvite(db, { orgId: org.id, actorRole: org.role, actor, input: await readJson(req), now: new Date() });
  return Response.json({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString(), url: `${publicBaseUrl(req)}/invite/${i.token}` }, { status: 201 });
});
