import { and, eq, isNotNull, lt, or, isNull } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, organizations } from "@/db/schema";

export interface SchedulerOptions {
  db: Db;
  /** a cluster is due when its last sync is older than this; 0 turns the scheduler off */
  intervalSeconds: number;
  /** syncs one cluster (the app passes syncNow); a failure is logged and recorded by it */
  sync: (c: { orgId: string; slug: string }) => Promise<unknown>;
  log?: (message: string) => void;
}

/** How often the scheduler looks for due clusters: a tenth of the interval, at most a minute, at least a second. */
export const tickSecondsFor = (intervalSeconds: number) => Math.max(1, Math.min(60, intervalSeconds / 10));

/**
 * Keeps Prometheus-backed clusters fresh: at start, then every tick (a tenth of the interval, at most
 * a minute), it syncs each cluster whose last sync is older than the interval, so no cluster waits
 * more than an interval and a tick. Syncs are idempotent, so several app replicas doing it only repeat
 * work. Returns a function that stops it (and waits for a running round).
 */
export function startScheduler(o: SchedulerOptions): () => Promise<void> {
  const interval = o.intervalSeconds;
  if (!Number.isFinite(interval) || interval <= 0) return async () => {};
  const log = o.log ?? ((m: string) => console.warn(m));
  let round: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (round || stopped) return;
    round = (async () => {
      try {
        const due = await o.db
          .select({ orgId: clusters.orgId, slug: clusters.slug, org: organizations.slug })
          .from(clusters)
          .innerJoin(organizations, eq(organizations.id, clusters.orgId))
          .where(and(eq(clusters.metricsKind, "prometheus"), isNotNull(clusters.prometheusUrl), or(isNull(clusters.lastSyncAt), lt(clusters.lastSyncAt, new Date(Date.now() - interval * 1000)))));
        for (const c of due) {
          if (stopped) break;
          await o.sync({ orgId: c.orgId, slug: c.slug }).catch((e: unknown) => log(`[sync] ${c.org}/${c.slug}: ${(e as Error).message}`));
        }
      } catch (e) {
        log(`[sync] scheduler: ${(e as Error).message}`);
      } finally {
        round = null;
      }
    })();
  };
  tick(); // due clusters are synced at start, not an interval later
  const timer = setInterval(tick, tickSecondsFor(interval) * 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await round;
  };
}
