import { z } from "zod";
import { withOrg } from "@/lib/auth/with-org";
import { getAlertSettings } from "@/lib/at-risk/settings";
import { getClusterLabels } from "@/lib/notify/cluster-labels";
import { renderAlertRules } from "@/lib/notify/rules-export";

const query = z.object({ format: z.enum(["prometheusrule", "rules"]).default("prometheusrule") });

// GET /api/v1/orgs/[org]/clusters/[cluster]/alert-rules?format=prometheusrule|rules — the cluster's memory alerts as YAML, to download
export const GET = withOrg<{ cluster: string }>({ role: "viewer" }, async ({ db, org, params, searchParams }) => {
  const { format } = query.parse(searchParams);
  const [cluster, settings] = await Promise.all([getClusterLabels(db, { orgId: org.id, slug: params.cluster }), getAlertSettings(db, { orgId: org.id })]);
  const body = renderAlertRules({ cluster: cluster.slug, labels: cluster.labels, settings, format });
  const file = `headroom-${cluster.slug}-${format === "rules" ? "rules" : "prometheusrule"}.yaml`;
  return new Response(body, { headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": `attachment; filename="${file}"`, "cache-control": "no-store" } });
});
