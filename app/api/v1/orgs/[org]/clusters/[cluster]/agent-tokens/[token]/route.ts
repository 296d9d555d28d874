import { withOrg } from "@/lib/auth/with-org";
import { revokeAgentToken } from "@/lib/clusters/agent-tokens";
import { consumeRateLimit } from "@/lib/security/rate-limit";

// DELETE /api/v1/orgs/[org]/clusters/[cluster]/agent-tokens/[token] — revoke: the agent's next batch gets a 401 (admin)
export const DELETE = withOrg<{ cluster: string; token: string }>({ role: "admin" }, async ({ db, org, actor, params }) => {
  await consumeRateLimit(db.$client, "token", org.id);
  await revokeAgentToken(db, { orgId: org.id, cluster: params.cluster, id: params.token, actor, now: new Date() });
  return Response.json({ ok: true });
});
