import "server-only";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { isoTime } from "./sql";
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

// correlated subqueries name the outer table themselves: drizzle writes columns unqualified in a one-table select
const summaryColumns = (since: Date) => ({
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
  workloads: sql<number>`(select count(*)::int from workloads w where w.cluster_id = clusters.id and w.org_id = clusters.org_id)`,
  ooms30d: sql<number>`(select count(*)::int from oom_events e where e.cluster_id = clusters.id and e.org_id = clusters.org_id
    and e.reason = 'OOMKilled' and e.finished_at >= ${since})`,
  activeIncidents: sql<number>`(select count(*)::int from incidents i where i.cluster_id = clusters.id and i.org_id = clusters.org_id
    and i.status <> 'resolved')`,
});

/** The organization's clusters with workload, OOMKill (30 days) and active-incident counts. */
export async function listClusters(db: Db, q: { orgId: string; now: Date }): Promise<ClusterSummary[]> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  return db.select(summaryColumns(since)).from(clusters).where(eq(clusters.orgId, q.orgId)).orderBy(asc(clusters.name));
}

/** One cluster of the organization by slug, with its counts; null when it is not the org's. */
export async function getCluster(db: Db, q: { orgId: string; slug: string; now: Date }): Promise<ClusterSummary | null> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const [row] = await db
    .select(summaryColumns(since))
    .from(clusters)
    .where(and(eq(clusters.orgId, q.orgId), eq(clusters.slug, q.slug)))
    .limit(1);
  return row ?? null;
}
