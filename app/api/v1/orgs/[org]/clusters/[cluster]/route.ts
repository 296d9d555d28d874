import { clusterForRole } from "@/lib/clusters/visibility";
import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { getCluster } from "@/lib/queries/clusters";

// GET /api/v1/orgs/[org]/clusters/[cluster] — one cluster and its counts
export const GET = withOrg<{ cluster: string }>({ role: "viewer" }, async ({ db, org, params }) => {
  const cluster = await getCluster(db, { orgId: org.id, slug: params.cluster, now: new Date() });
  if (!cluster) throw new NotFoundError("cluster");
  return Response.json(clusterForRole(cluster, org.role));
});
