import { withOrg } from "@/lib/auth/with-org";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import { syncNow } from "@/lib/clusters/manage";
import { NotFoundError } from "@/lib/http/errors";

// POST /api/v1/orgs/[org]/clusters/[cluster]/sync — read the cluster from its Prometheus now (member)
export const POST = withOrg<{ cluster: string }>({ role: "member" }, async ({ db, org, params }) => {
  // each sync reads the cluster's Prometheus and Kubernetes API inside the request: a budget per organization
  await consumeRateLimit(db.$client, "sync-now", org.id);
  const result = await syncNow(db, { orgId: org.id, slug: params.cluster });
  if (!result) throw new NotFoundError("cluster");
  return Response.json(result);
});
