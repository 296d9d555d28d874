import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { hasRole } from "@/lib/auth/roles";
import { listClusters } from "@/lib/queries/clusters";
import { recentCostSummary } from "@/lib/cost/analyses";
import { anchoredNow, FRESH_WAIT_MS } from "@/lib/incidents/analyze";
import { pageClusters } from "@/lib/clusters/list-page";
import { listClustersQuery } from "@/lib/schemas/lists";
import { Card, EmptyState } from "@/components/ui/card";
import { ClustersTable, type ClusterTableRow } from "@/components/clusters/clusters-table";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org: slug } = await params;
  const db = getDb();
  const { org } = await requireOrg(slug);
  const parsed = listClustersQuery.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : listClustersQuery.parse({});
  const now = new Date();
  const [list, cost] = await Promise.all([listClusters(db, { orgId: org.id, now }), recentCostSummary(db, { orgId: org.id, now: anchoredNow(), waitMs: FRESH_WAIT_MS })]);
  const rows: ClusterTableRow[] = list.map((c) => {
    const money = cost.byCluster.get(c.slug);
    return {
      id: c.id, slug: c.slug, name: c.name, provider: c.provider, region: c.region, workloads: c.workloads, ooms30d: c.ooms30d,
      activeIncidents: c.activeIncidents, lastSyncAt: c.lastSyncAt, currency: c.currency, pricePerGibMonth: c.pricePerGibMonth,
      monthlyCost: money ? money.monthlyCost : null, monthlyChange: money ? money.monthlyChange : null, sources: sourcesOf(c),
    };
  });
  const data = pageClusters(rows, query);
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">Clusters</h1>
        {hasRole(org.role, "admin") ? (
          <Link href={`/${slug}/clusters/new`} className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900">Add cluster</Link>
        ) : null}
      </div>
      <Card>
        {data.all === 0 ? (
          <EmptyState title="No clusters yet.">Deploy the Headroom agent in a cluster, or connect its Prometheus, to see it here.</EmptyState>
        ) : (
          <ClustersTable org={slug} query={query} data={data} now={now.getTime()} />
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
