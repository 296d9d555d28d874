import { consumeRateLimit } from "@/lib/security/rate-limit";
import { readJson } from "@/lib/http/read-json";
import { withOrg } from "@/lib/auth/with-org";
import { testSettings } from "@/lib/clusters/manage";
import { prometheusSettingsInput } from "@/lib/clusters/prometheus-settings";
import { NotFoundError } from "@/lib/http/errors";

// POST /api/v1/orgs/[org]/clusters/[cluster]/settings/test — "Test connection" with the form's values (admin).
// Always 200 with a report: an unreachable Prometheus is a result of the test, not an error of the request.
export const POST = withOrg<{ cluster: string }>({ role: "admin" }, async ({ req, db, org, user, actor, params }) => {
  // each test sends requests (and stored credentials) to a server the user names: a budget per organization
  await consumeRateLimit(db.$client, "test-connection", org.id);
  const input = prometheusSettingsInput.parse(await readJson(req));
  const report = await testSettings(db, { orgId: org.id, slug: params.cluster, input, userId: user.id, ip: actor.ip });
  if (!report) throw new NotFoundError("cluster");
  return Response.json(report);
});
