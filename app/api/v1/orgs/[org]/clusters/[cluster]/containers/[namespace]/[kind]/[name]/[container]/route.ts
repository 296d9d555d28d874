import { containerViewForRole } from "@/lib/clusters/visibility";
import { withOrg } from "@/lib/auth/with-org";
import { getContainerView } from "@/lib/container-view";
import { NotFoundError } from "@/lib/http/errors";
import { getCluster } from "@/lib/queries/clusters";
import { containerViewQuery } from "@/lib/schemas/lists";

type Params = { cluster: string; namespace: string; kind: string; name: string; container: string };

// GET /api/v1/orgs/[org]/clusters/[cluster]/containers/[namespace]/[kind]/[name]/[container]?window=7d&pod=
// — the container's verdict over 30 days and one pod's memory chart over the window
export const GET = withOrg<Params>({ role: "viewer" }, async ({ db, org, params, searchParams }) => {
  const query = containerViewQuery.parse(searchParams);
  const now = new Date();
  const cluster = await getCluster(db, { orgId: org.id, slug: params.cluster, now });
  if (!cluster) throw new NotFoundError("cluster");
  const view = await getContainerView(db, {
    orgId: org.id, cluster, namespace: params.namespace, kind: params.kind, name: params.name, container: params.container,
    now: Math.floor(now.getTime() / 1000), ...query,
  });
  if (!view) throw new NotFoundError("container");
  return Response.json(containerViewForRole(view, org.role));
});
