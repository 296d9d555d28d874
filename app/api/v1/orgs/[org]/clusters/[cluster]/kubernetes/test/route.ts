import { consumeRateLimit } from "@/lib/security/rate-limit";
import { readJson } from "@/lib/http/read-json";
import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { testKubeSettings } from "@/lib/kube/direct-manage";
import { kubeSettingsInput } from "@/lib/kube/direct-settings";

// POST /api/v1/orgs/[org]/clusters/[cluster]/kubernetes/test — "Test connection" with the form's values (admin).
// Always 200 with a report: an unreachable or forbidding API server is a result of the test, not an error of the request.
export const POST = withOrg<{ cluster: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  // each test sends a credential to a server the user names: the same budget per organization as Prometheus tests
  await consumeRateLimit(db.$client, "test-connection", org.id);
  const input = kubeSettingsInput.parse(await readJson(req));
  const report = await testKubeSettings(db, { orgId: org.id, slug: params.cluster, input, actor });
  if (!report) throw new NotFoundError("cluster");
  return Response.json(report);
});
