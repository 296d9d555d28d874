import { withOrg } from "@/lib/auth/with-org";
import { createAgentToken, listAgentTokens } from "@/lib/clusters/agent-tokens";
import { readJson } from "@/lib/http/read-json";
import { consumeRateLimit } from "@/lib/security/rate-limit";

// GET /api/v1/orgs/[org]/clusters/[cluster]/agent-tokens — the cluster's agent tokens, with last use (admin)
export const GET = withOrg<{ cluster: string }>({ role: "admin" }, async ({ db, org, params }) =>
  Response.json({ tokens: await listAgentTokens(db, { orgId: org.id, cluster: params.cluster }) }),
);

// POST /api/v1/orgs/[org]/clusters/[cluster]/agent-tokens — a new token `{name}`, in this answer only (admin)
export const POST = withOrg<{ cluster: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  await consumeRateLimit(db.$client, "token", org.id);
  const t = await createAgentToken(db, { orgId: org.id, cluster: params.cluster, input: await readJson(req), actor });
  return Response.json(t, { status: 201 });
});
