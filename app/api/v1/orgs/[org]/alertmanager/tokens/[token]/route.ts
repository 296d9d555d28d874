import { withOrg } from "@/lib/auth/with-org";
import { revokeReceiverToken } from "@/lib/notify/receiver-tokens";

// DELETE /api/v1/orgs/[org]/alertmanager/tokens/[token] — revokes a receiver token (admin); another organization's answers 404
export const DELETE = withOrg<{ token: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  await revokeReceiverToken(db, { orgId: org.id, id: params.token, actor, now: new Date() });
  return new Response(null, { status: 204 });
});
