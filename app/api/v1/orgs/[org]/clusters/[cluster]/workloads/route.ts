import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { getCluster } from "@/lib/queries/clusters";
import { listWorkloads } from "@/lib/queries/workloads";
import { listWorkloadsQuery } from "@/lib/schemas/lists";

// GET /api/v1/orgs/[org]/clusters/[cluster]/workloads — a sorted, filtered page of the cluster's workloads
export const GET = withOrg<{ cluster: string }>({ role: "viewer" }, async ({ db, org, params, searchParams }) => {
  const query = listWorkloadsQuery.parse(searchParams);
  const now = new Date();
  const cluster = await getCluster(db, { orgId: org.id, slug: params.cluster, now });
  if (!cluster) throw new NotFoundError("cluster");
  return Response.json(await listWorkloads(db, { orgId: org.id, clusterId: cluster.id, now, ...query }));
});
