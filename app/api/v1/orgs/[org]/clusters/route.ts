import { withOrg } from "@/lib/auth/with-org";
import { listClusters } from "@/lib/queries/clusters";

// GET /api/v1/orgs/[org]/clusters — the organization's clusters with their counts
export const GET = withOrg({ role: "viewer" }, async ({ db, org }) =>
  Response.json({ clusters: await listClusters(db, { orgId: org.id, now: new Date() }) }),
);
