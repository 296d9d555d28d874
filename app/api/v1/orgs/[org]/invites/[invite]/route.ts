import { withOrg } from "@/lib/auth/with-org";
import { revokeInvite } from "@/lib/orgs/members";

// DELETE /api/v1/orgs/[org]/invites/[invite] — revoke a pending invitation (admin)
export const DELETE = withOrg<{ invite: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  await revokeInvite(db, { orgId: org.id, actor, inviteId: params.invite, now: new Date() });
  return Response.json({ ok: true });
});
