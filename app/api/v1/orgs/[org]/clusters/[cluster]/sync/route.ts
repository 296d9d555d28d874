import { withOrg } from "@/lib/auth/with-org";
import { syncNow } from "@/lib/clusters/manage";
import { NotFoundError } from "@/lib/http/errors";

// POST /api/v1/orgs/[org]/clusters/[cluster]/sync — read the cluster from its Prometheus now (member)
export const POST = withOrg<{ cluster: string }>({ role: "member" }, async ({ db, org, params }) => {
  const result = await syncNow(db, { orgId: org.id, slug: params.cluster });
  if (!result) throw new NotFoundError("cluster");
  return Response.json(result);
});
