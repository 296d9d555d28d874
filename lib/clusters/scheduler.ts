import { and, eq, isNotNull, lt, or, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { clusters, organizations } from "@/db/schema";
import { syncNow } from "./manage";

/**
 * Keeps Prometheus-backed clusters fresh: every HEADROOM_SYNC_INTERVAL_SECONDS (600 by default; 0
 * turns it off) it syncs each cluster whose last sync is older than that. Syncs are idempotent, so
 * several app replicas doing it only repeat work; a failure is recorded on the cluster.
 */
export function startScheduler() {
  const interval = Number(process.env.HEADROOM_SYNC_INTERVAL_SECONDS ?? 600);
  if (!Number.isFinite(interval) || interval <= 0) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const db = getDb();
      const due = await db
        .select({ orgId: clusters.orgId, slug: clusters.slug, org: organizations.slug })
        .from(clusters)
        .innerJoin(organizations, eq(organizations.id, clusters.orgId))
        .where(and(eq(clusters.metricsKind, "prometheus"), isNotNull(clusters.prometheusUrl), or(isNull(clusters.lastSyncAt), lt(clusters.lastSyncAt, new Date(Date.now() - interval * 1000)))));
      for (const c of due) {
        await syncNow(db, { orgId: c.orgId, slug: c.slug }).catch((e: unknown) => console.warn(`[sync] ${c.org}/${c.slug}: ${(e as Error).message}`));
      }
    } catch (e) {
      console.warn(`[sync] scheduler: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  setInterval(() => void tick(), interval * 1000).unref();
}
