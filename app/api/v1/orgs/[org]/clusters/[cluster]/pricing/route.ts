import { withOrg } from "@/lib/auth/with-org";
import { NotFoundError } from "@/lib/http/errors";
import { readJson } from "@/lib/http/read-json";
import { setClusterPricing } from "@/lib/queries/cost";
import { clusterPricingInput } from "@/lib/schemas/cost";

// PUT /api/v1/orgs/[org]/clusters/[cluster]/pricing — the cluster's memory price: a preset or a custom price and currency (admin, audited)
export const PUT = withOrg<{ cluster: string }>({ role: "admin" }, async ({ req, db, org, actor, params }) => {
  const input = clusterPricingInput.parse(await readJson(req));
  const saved = await setClusterPricing(db, { orgId: org.id, slug: params.cluster, input, actor });
  if (!saved) throw new NotFoundError("cluster");
  return Response.json(saved);
});
