import { clusterForRole } from "@/lib/clusters/visibility";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { getCluster } from "@/lib/queries/clusters";
import { listNodes } from "@/lib/queries/nodes";
import { listNamespaces, listWorkloads } from "@/lib/queries/workloads";
import { listWorkloadsQuery } from "@/lib/schemas/lists";
import { queryKeys } from "@/lib/query-keys";
import { formatAgo, formatBytes, formatMoney } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
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
  const [namespaces, nodeRows] = await Promise.all([listNamespaces(db, { orgId: org.id, clusterId: cluster.id }), listNodes(db, { orgId: org.id, clusterId: cluster.id, now })]);
  const kubeSource = cluster.hasKubernetes || cluster.kubeSyncAt !== null;
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <nav aria-label="Breadcrumb" className="text-xs text-zinc-500"><Link href={`/${slug}/clusters`} className="hover:underline">Clusters</Link> /</nav>
        <div className="flex items-center justify-between gap-3">
          <h1 className="font-mono text-xl font-semibold">{cluster.name}</h1>
          <Link href={`/${slug}/clusters/${cluster.slug}/settings`} className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900">Settings</Link>
        </div>
        <p className="text-sm text-zinc-500">{[cluster.provider, cluster.region].filter(Boolean).join(" · ")} · memory at {formatMoney(cluster.pricePerGibMonth, cluster.currency)} per GiB-month</p>
      </div>
      {cluster.metricsKind === "prometheus" && !cluster.hasPrometheus && !kubeSource ? (
        <ErrorState title="Not connected yet">Connect this cluster in its <Link href={`/${slug}/clusters/${cluster.slug}/settings`} className="underline">settings</Link>: its Prometheus (workloads from kube-state-metrics, memory from cAdvisor), its Kubernetes API, or the in-cluster agent.</ErrorState>
      ) : null}
      {cluster.metricsKind === "prometheus" && !cluster.hasPrometheus && kubeSource ? (
        <p className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          Workloads, kills and nodes come from the Kubernetes API{cluster.kubeSyncAt ? ` (read ${formatAgo(cluster.kubeSyncAt, now.getTime())})` : ""}. Connect a Prometheus in the <Link href={`/${slug}/clusters/${cluster.slug}/settings`} className="underline">settings</Link> for memory history and verdicts.
        </p>
      ) : null}
      {cluster.kubeSyncError ? (
        <ErrorState title="The last read of the Kubernetes API failed">{cluster.kubeSyncError}{cluster.kubeSyncAt ? ` — the inventory below is from the read ${formatAgo(cluster.kubeSyncAt, now.getTime())}.` : ""}</ErrorState>
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
      {nodeRows.length ? <NodesCard nodes={nodeRows} /> : null}
    </div>
  );
}

/** The cluster's nodes from the Kubernetes API: memory, pressure, and the kills no container limit explains. */
function NodesCard({ nodes }: { nodes: Awaited<ReturnType<typeof listNodes>> }) {
  const pressured = nodes.filter((n) => n.memoryPressure).length;
  const systemOoms = nodes.reduce((s, n) => s + n.systemOoms30d, 0);
  return (
    <Card title={`Nodes · ${nodes.length}`} action={<span className="text-xs text-zinc-500">{pressured ? `${pressured} under memory pressure · ` : ""}{systemOoms} SystemOOM in 30 d</span>}>
      <p className="px-4 pt-3 text-xs text-zinc-500">A SystemOOM is the kernel&apos;s OOM killer on the node itself (the node ran out of memory, whatever the containers&apos; limits): raise requests so the scheduler stops overcommitting the node, not limits.</p>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[560px] text-sm">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Node</th>
              <th scope="col" className="px-3 py-2 font-medium">Instance type</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Allocatable memory</th>
              <th scope="col" className="px-3 py-2 font-medium">Memory pressure</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">SystemOOM · 30 d</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Evictions · 30 d</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {nodes.map((n) => (
              <tr key={n.name}>
                <td className="max-w-[16rem] truncate px-4 py-2 font-mono text-xs" title={n.name}>{n.name}</td>
                <td className="px-3 py-2 text-xs">{n.instanceType ?? "—"}</td>
                <td className="tabular px-3 py-2 text-right">{n.allocatableMemoryBytes === null ? "—" : formatBytes(n.allocatableMemoryBytes)}</td>
                <td className="px-3 py-2">{n.memoryPressure ? <Badge tone="critical">MemoryPressure</Badge> : <span className="text-xs text-zinc-500">no</span>}</td>
                <td className={`tabular px-3 py-2 text-right ${n.systemOoms30d ? "font-medium text-red-600 dark:text-red-400" : ""}`}>{n.systemOoms30d}</td>
                <td className="tabular px-4 py-2 text-right">{n.evictions30d}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
