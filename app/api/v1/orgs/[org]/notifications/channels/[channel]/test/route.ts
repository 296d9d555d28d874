import { withOrg } from "@/lib/auth/with-org";
import { publicBaseUrl } from "@/lib/http/public-url";
import { sendTest } from "@/lib/notify/deliver";
import { consumeRateLimit } from "@/lib/security/rate-limit";

// POST /api/v1/orgs/[org]/notifications/channels/[channel]/test — sends a test message now and answers how it went (admin)
export const POST = withOrg<{ channel: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  await consumeRateLimit(db.$client, "test-connection", org.id);
  return Response.json(await sendTest(db, { orgId: org.id, channelId: params.channel, actor, now: new Date(), appUrl: publicBaseUrl(req) }));
});
