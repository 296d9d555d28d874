import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db } from "@/db/connect";
import { BOSS_SCHEMA, JOB, type ClusterSyncData } from "./kinds";

/** How often the queue looks for due clusters: a tenth of the interval, at most a minute, at least a second. */
export const tickSecondsFor = (intervalSeconds: number) => Math.max(1, Math.min(60, intervalSeconds / 10));

/**
 * Clusters read by the server — from their Prometheus, or their Kubernetes API in direct mode — whose
 * last read is older than the interval (or never happened) and that have no sync job waiting, retrying
 * or running: a hanging sync is not queued a second time behind itself.
 */
export async function dueClusters(db: Db, q: { intervalSeconds: number; now: number }): Promise<ClusterSyncData[]> {
  const cutoff = new Date(q.now - q.intervalSeconds * 1000);
  const { rows } = await db.execute<{ orgId: string; clusterId: string; slug: string }>(sql`
    SELECT c.org_id AS "orgId", c.id AS "clusterId", c.slug
    FROM clusters c
    WHERE c.metrics_kind <> 'demo'
      AND (
        (c.prometheus_url IS NOT NULL AND (c.last_sync_at IS NULL OR c.last_sync_at < ${cutoff.toISOString()}::timestamptz))
        -- direct mode: the server reads the cluster's Kubernetes API itself (lib/kube/direct-sync.ts hasKubeConnection)
        OR (c.kube_server_url IS NOT NULL AND c.kube_credential_enc IS NOT NULL AND (c.kube_sync_at IS NULL OR c.kube_sync_at < ${cutoff.toISOString()}::timestamptz))
      )
      AND NOT EXISTS (
        SELECT 1 FROM ${sql.raw(BOSS_SCHEMA)}.job j
        WHERE j.name = ${JOB.clusterSync} AND j.state < 'completed' AND j.singleton_key = c.id::text
      )
    ORDER BY LEAST(c.last_sync_at, c.kube_sync_at) NULLS FIRST, c.id`);
  return rows.map((r) => ({ orgId: r.orgId, clusterId: r.clusterId, slug: r.slug }));
}

/** pg-boss keeps a job's singleton slot only while the job is unarchived (12 h by default): longer intervals use 12 h slots. */
const slotSeconds = (intervalSeconds: number) => Math.min(43_200, Math.max(1, Math.round(intervalSeconds)));

/**
 * Enqueues a sync for each due cluster and returns how many were queued. The singleton key (the
 * cluster) and slot (the interval) make Postgres refuse a second job for the same cluster in the same
 * interval, whichever replica asks: a failed cluster is tried again the next interval, not every tick.
 */
export async function enqueueDueSyncs(db: Db, boss: PgBoss, q: { intervalSeconds: number; now: number }): Promise<number> {
  let queued = 0;
  for (const c of await dueClusters(db, q)) {
    const id = await boss.send(JOB.clusterSync, c, { singletonKey: c.clusterId, singletonSeconds: slotSeconds(q.intervalSeconds) });
    if (id) queued++;
  }
  return queued;
}
