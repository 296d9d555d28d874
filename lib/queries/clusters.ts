import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { isoTime } from "./sql";
import { killsPerContainerSince } from "./oom-totals";
import type { Db } from "@/db/connect";
import { clusters } from "@/db/schema";

export interface ClusterSummary {
  id: string;
  slug: string;
  name: string;
  provider: string | null;
  region: string | null;
  connectionMode: "demo" | "agent" | "direct";
  metricsKind: "demo" | "prometheus";
  pricePerGibMonth: number;
  currency: string;
  lastSyncAt: string | null;
  /** why the last sync from Prometheus failed; null when it worked */
  lastSyncError: string | null;
  hasPrometheus: boolean;
  /** direct mode is set up (the server reads the Kubernetes API) */
  hasKubernetes: boolean;
  /** the last read of the Kubernetes API (an agent's snapshot or a direct read), and why the last direct read failed */
  kubeSyncAt: string | null;
  kubeSyncError: string | null;
  workloads: number;
  ooms30d: number;
  activeIncidents: number;
}

const summaryColumns = {
  id: clusters.id,
  slug: clusters.slug,
  name: clusters.name,
  provider: clusters.provider,
  region: clusters.region,
  connectionMode: clusters.connectionMode,
  metricsKind: clusters.metricsKind,
  pricePerGibMonth: clusters.pricePerGibMonth,
  currency: clusters.currency,
  lastSyncAt: isoTime(clusters.lastSyncAt) as SQL<string | null>,
  lastSyncError: clusters.lastSyncError,
  hasPrometheus: sql<boolean>`(${clusters.prometheusUrl} is not null)`,
  hasKubernetes: sql<boolean>`(${clusters.kubeServerUrl} is not null and ${clusters.kubeCredentialEnc} is not null)`,
  kubeSyncAt: isoTime(clusters.kubeSyncAt) as SQL<string | null>,
  kubeSyncError: clusters.kubeSyncError,
  workloads: sql<number>`coalesce(wc.n, 0)::int`,
  ooms30d: sql<number>`coalesce(kc.n, 0)::int`,
  activeIncidents: sql<number>`coalesce(ic.n, 0)::int`,
};

/**
 * The clusters matching `where` with their counts, in one statement: each count grouped once over
 * the organization (workloads; OOMKills of 30 days from the daily rollup; unresolved incidents) and
 * joined by cluster, never counted again per cluster.
 */
async function summaries(db: Db, q: { orgId: string; now: Date; slug?: string }): Promise<ClusterSummary[]> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const clusterId = q.slug ? sql`(select id from clusters where org_id = ${q.orgId} and slug = ${q.slug})` : undefined;
  const one = (col: SQL) => (clusterId ? sql`and ${col} = ${clusterId}` : sql``);
  return db
    .select(summaryColumns)
    .from(clusters)
    .leftJoin(sql`(select cluster_id, count(*) as n from workloads where org_id = ${q.orgId} ${one(sql`cluster_id`)} group by 1) wc`, sql`wc.cluster_id = ${clusters.id}`)
    .leftJoin(sql`(select cluster_id, sum(kills) as n from ${killsPerContainerSince(q.orgId, since, { clusterId })} k group by 1) kc`, sql`kc.cluster_id = ${clusters.id}`)
    .leftJoin(sql`(select cluster_id, count(*) as n from incidents where org_id = ${q.orgId} and status <> 'resolved' ${one(sql`cluster_id`)} group by 1) ic`, sql`ic.cluster_id = ${clusters.id}`)
    .where(and(eq(clusters.orgId, q.orgId), q.slug ? eq(clusters.slug, q.slug) : undefined))
    .orderBy(asc(clusters.name));
}

/** The organization's clusters with workload, OOMKill (30 days) and active-incident counts. */
export async function listClusters(db: Db, q: { orgId: string; now: Date }): Promise<ClusterSummary[]> {
  return summaries(db, q);
}

/** One cluster of the organization by slug, with its counts; null when it is not the org's. */
export async function getCluster(db: Db, q: { orgId: string; slug: string; now: Date }): Promise<ClusterSummary | null> {
  const [row] = await summaries(db, q);
  return row ?? null;
}

/** The slugs of the organization's clusters, by name (a filter's choices). */
export async function listClusterSlugs(db: Db, q: { orgId: string }): Promise<string[]> {
  const rows = await db.select({ slug: clusters.slug }).from(clusters).where(eq(clusters.orgId, q.orgId)).orderBy(asc(clusters.name));
  return rows.map((r) => r.slug);
}

/** The choices of the organization's list filters in one statement: its clusters' slugs (by name) and its workloads' namespaces. */
export async function listFilterChoices(db: Db, q: { orgId: string }): Promise<{ clusters: string[]; namespaces: string[] }> {
  const { rows } = await db.execute<{ clusters: string[] | null; namespaces: string[] | null }>(sql`select
    (select array_agg(slug order by name) from clusters where org_id = ${q.orgId}) as clusters,
    (select array_agg(distinct namespace order by namespace) from workloads where org_id = ${q.orgId}) as namespaces`);
  return { clusters: rows[0]?.clusters ?? [], namespaces: rows[0]?.namespaces ?? [] };
}
