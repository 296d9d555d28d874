import { clusterForRole } from "@/lib/clusters/visibility";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { getCluster } from "@/lib/queries/clusters";
import { listNamespaces, listWorkloads } from "@/lib/queries/workloads";
import { listWorkloadsQuery } from "@/lib/schemas/lists";
import { queryKeys } from "@/lib/query-keys";
import { formatAgo, formatMoney } from "@/lib/format";
import { Card, ErrorState, StatCard } from "@/components/ui/card";
import { WorkloadsTable } from "@/components/clusters/workloads-table";

export async function generateMetadata({ params }: { params: Promise<{ cluster: string }> }): Promise<Metadata> {
  return { title: decodeURIComponent((await params).cluster) };
}

export default async function ClusterPage({ params, searchParams }: { params: Promise<{ org: string; cluster: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org: slug, cluster: clusterSlug } = await params;
  const db = getDb();
  const { org } = await requireOrg(slug);
  const now = new Date();
  const found = await getCluster(db, { orgId: org.id, slug: decodeURIComponent(clusterSlug), now });
  const cluster = found && clusterForRole(found, org.role);
  if (!cluster) notFound();
  const parsed = listWorkloadsQuery.safeParse(await searchParams);
  const initial = parsed.success ? parsed.data : listWorkloadsQuery.parse({});
  const qc = new QueryClient();
  await qc.prefetchQuery({
    queryKey: queryKeys.workloads(slug, cluster.slug, initial),
    queryFn: () => listWorkloads(db, { orgId: org.id, clusterId: cluster.id, now, ...initial }),
  });
  const namespaces = await listNamespaces(db, { orgId: org.id, clusterId: cluster.id });
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-xs text-zinc-500"><Link href={`/${slug}/clusters`} className="hover:underline">Clusters</Link> /</nav>
        <div className="flex items-center justify-between gap-3">
          <h1 className="font-mono text-xl font-semibold">{cluster.name}</h1>
          {cluster.metricsKind === "prometheus" ? <Link href={`/${slug}/clusters/${cluster.slug}/settings`} className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900">Prometheus settings</Link> : null}
        </div>
        <p className="text-sm text-zinc-500">{[cluster.provider, cluster.region].filter(Boolean).join(" · ")} · memory at {formatMoney(cluster.pricePerGibMonth, cluster.currency)} per GiB-month</p>
      </div>
      {cluster.metricsKind === "prometheus" && !cluster.hasPrometheus ? (
        <ErrorState title="Not connected yet">Connect this cluster&apos;s Prometheus in the <Link href={`/${slug}/clusters/${cluster.slug}/settings`} className="underline">settings</Link>: Headroom reads workloads from kube-state-metrics and memory from cAdvisor.</ErrorState>
      ) : null}
      {cluster.lastSyncError ? (
        <ErrorState title="The last Prometheus sync has a problem">{cluster.lastSyncError} — the figures below are from the last successful sync{cluster.lastSyncAt ? ` (${formatAgo(cluster.lastSyncAt, now.getTime())})` : ""}.</ErrorState>
      ) : null}
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard label="Workloads" value={cluster.workloads} />
        <StatCard label="OOMKills · 30 d" value={cluster.ooms30d} tone={cluster.ooms30d > 0 ? "critical" : "ok"} />
        <StatCard label="Active incidents" value={<Link href={`/${slug}/incidents?cluster=${cluster.slug}&status=active`} className="hover:underline">{cluster.activeIncidents}</Link>} tone={cluster.activeIncidents > 0 ? "warning" : "ok"} />
        <StatCard label="Namespaces" value={namespaces.length} />
      </div>
      <Card title="Workloads">
        <HydrationBoundary state={dehydrate(qc)}>
          <WorkloadsTable org={slug} cluster={cluster.slug} namespaces={namespaces} initial={initial} />
        </HydrationBoundary>
      </Card>
    </div>
  );
}
