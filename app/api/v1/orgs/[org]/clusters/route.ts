import { clusterForRole } from "@/lib/clusters/visibility";
import { readJson } from "@/lib/http/read-json";
import { withOrg } from "@/lib/auth/with-org";
import { createCluster, newClusterInput } from "@/lib/clusters/manage";
import { listClusters } from "@/lib/queries/clusters";

// GET /api/v1/orgs/[org]/clusters — the organization's clusters with their counts
export const GET = withOrg({ role: "viewer" }, async ({ db, org }) =>
  Response.json({ clusters: (await listClusters(db, { orgId: org.id, now: new Date() })).map((c) => clusterForRole(c, org.role)) }),
);

// POST /api/v1/orgs/[org]/clusters — add a Prometheus-backed cluster (admin); its endpoint is set next
export const POST = withOrg({ role: "admin" }, async ({ req, db, org, user, actor }) => {
  const input = newClusterInput.parse(await readJson(req));
  const cluster = await createCluster(db, { orgId: org.id, userId: user.id, ip: actor.ip, input });
  return Response.json({ slug: cluster.slug, name: cluster.name }, { status: 201 });
});
