import { withOrg } from "@/lib/auth/with-org";
import { readJson } from "@/lib/http/read-json";
import { createReceiverToken, listReceiverTokens } from "@/lib/notify/receiver-tokens";
import { consumeRateLimit } from "@/lib/security/rate-limit";

// GET /api/v1/orgs/[org]/alertmanager/tokens — the organization's Alertmanager receiver tokens, with last use (admin)
export const GET = withOrg({ role: "admin" }, async ({ db, org }) => Response.json({ tokens: await listReceiverTokens(db, { orgId: org.id }) }));

// POST /api/v1/orgs/[org]/alertmanager/tokens — a new receiver token `{name}`, in this answer only (admin)
export const POST = withOrg({ role: "admin" }, async ({ req, db, org, actor }) => {
  await consumeRateLimit(db.$client, "token", org.id);
  return Response.json(await createReceiverToken(db, { orgId: org.id, input: await readJson(req), actor }), { status: 201 });
});
