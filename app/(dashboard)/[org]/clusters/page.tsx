import { clusterForRole } from "@/lib/clusters/visibility";
import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { listClusters } from "@/lib/queries/clusters";
import { recentCostSummary } from "@/lib/cost/analyses";
import { anchoredNow } from "@/lib/incidents/analyze";
import { formatAgo, formatMoney } from "@/lib/format";
import { clusterHref } from "@/lib/links";
import { Card, EmptyState } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const db = getDb();
  const { org } = await requireOrg(slug);
  const now = new Date();
  const [list, cost] = await Promise.all([listClusters(db, { orgId: org.id, now }), recentCostSummary(db, { orgId: org.id, now: anchoredNow(), waitMs: 150 })]);
  const clusters = list.map((c) => clusterForRole(c, org.role));
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">Clusters</h1>
        {hasRole(org.role, "admin") ? (
          <Link href={`/${slug}/clusters/new`} className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900">Add cluster</Link>
        ) : null}
      </div>
      <Card>
        {clusters.length === 0 ? (
          <EmptyState title="No clusters yet.">Deploy the Headroom agent in a cluster, or connect its Prometheus, to see it here.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-xs text-zinc-500">
              <tr>
                <th scope="col" className="px-4 py-2 text-left font-medium">Cluster</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">Provider · region</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">Source</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Workloads</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">OOMKills · 30 d</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Active incidents</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Memory price</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Requests /mo</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">Net change /mo</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Last sync</th>
              </tr>
            </thead>
            <tbody className="tabular">
              {clusters.map((c) => (
                <tr key={c.id} className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50">
                  <td className="px-4 py-2.5">
                    <Link href={clusterHref(slug, c.slug)} className="font-mono font-medium text-blue-700 hover:underline dark:text-blue-400">{c.name}</Link>
                  </td>
                  <td className="px-3 py-2.5 text-zinc-600 dark:text-zinc-400">{[c.provider, c.region].filter(Boolean).join(" · ") || "—"}</td>
                  <td className="px-3 py-2.5"><span className="flex flex-wrap gap-1">{sourcesOf(c).map((s) => <Badge key={s} tone={s === "not connected" ? "neutral" : "info"}>{s}</Badge>)}</span></td>
                  <td className="px-3 py-2.5 text-right">{c.workloads}</td>
                  <td className={`px-3 py-2.5 text-right ${c.ooms30d > 0 ? "font-medium text-red-600 dark:text-red-400" : ""}`}>{c.ooms30d}</td>
                  <td className="px-3 py-2.5 text-right">{c.activeIncidents}</td>
                  <td className="px-3 py-2.5 text-right">{formatMoney(c.pricePerGibMonth, c.currency)}/GiB·mo</td>
                  <td className="px-3 py-2.5 text-right" data-testid="cluster-cost">{cost.byCluster.get(c.slug) ? formatMoney(cost.byCluster.get(c.slug)!.monthlyCost, c.currency) : "—"}</td>
                  <td className={`px-3 py-2.5 text-right ${(cost.byCluster.get(c.slug)?.monthlyChange ?? 0) < 0 ? "text-emerald-600 dark:text-emerald-400" : (cost.byCluster.get(c.slug)?.monthlyChange ?? 0) > 0 ? "text-red-600 dark:text-red-400" : ""}`} data-testid="cluster-change">
                    {cost.byCluster.get(c.slug) ? <Link href={`/${slug}/cost?cluster=${encodeURIComponent(c.slug)}`} className="hover:underline">{formatMoney(cost.byCluster.get(c.slug)!.monthlyChange, c.currency, true)}</Link> : "—"}
                  </td>
                  <td className="px-4 py-2.5 text-right text-zinc-500">{formatAgo(c.lastSyncAt, now.getTime())}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </Card>
    </div>
  );
}

/** Where a cluster's data comes from: simulated, its Prometheus, its Kubernetes API read directly, an agent. */
function sourcesOf(c: { connectionMode: string; hasPrometheus: boolean; hasKubernetes: boolean; kubeSyncAt: string | null }): string[] {
  if (c.connectionMode === "demo") return ["simulated"];
  const out = [...(c.hasPrometheus ? ["Prometheus"] : []), ...(c.hasKubernetes ? ["Kubernetes API"] : c.kubeSyncAt ? ["agent"] : [])];
  return out.length ? out : ["not connected"];
}
