import "server-only";
import { and, eq } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Db } from "@/db/connect";
import { clusters } from "@/db/schema";
import { syncNow } from "@/lib/clusters/manage";
import { JOB, type ClusterSyncData } from "./kinds";
import { jobSettingsFromEnv, startJobs, type RunningJobs } from "./queue";

// Next.js bundles instrumentation and route handlers apart: module state is not shared, globalThis is.
const state = globalThis as unknown as { headroomJobs?: RunningJobs; headroomJobsClient?: Promise<PgBoss> };

/**
 * Starts this server's queue workers (unless HEADROOM_JOBS=off, for replicas that only serve pages):
 * scheduled syncs with the app's syncNow, and fix verification.
 */
export async function startServerJobs(db: Db, databaseUrl: string): Promise<RunningJobs | null> {
  if (process.env.HEADROOM_JOBS === "off") return null;
  if (state.headroomJobs) return state.headroomJobs;
  const jobs = await startJobs({
    db, databaseUrl, ...jobSettingsFromEnv(),
    sync: (c) => syncNow(db, { orgId: c.orgId, slug: c.slug }),
    verifyFixes: async (now) => (await import("@/lib/incidents/fix-verify")).verifyFixes(db, { now }),
    notify: {
      scan: async ({ now, atRisk }) => (await import("@/lib/notify/scan")).scanForNotifications(db, { now, atRisk, appUrl: (await import("@/lib/http/public-url")).publicUrlFromEnv() }),
      deliver: async (d) => (await import("@/lib/notify/deliver")).deliverChannel(db, d),
      groupSeconds: Number(process.env.HEADROOM_NOTIFY_GROUP_SECONDS ?? 30) || 30,
    },
  });
  state.headroomJobs = jobs;
  const stop = () => void jobs.stop(3_000).finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return jobs;
}

/** A pg-boss handle for routes (retrying a job): the running workers' one, or a client that runs no workers or maintenance. */
export function jobsClient(): Promise<PgBoss> {
  if (state.headroomJobs) return Promise.resolve(state.headroomJobs.boss);
  const url = process.env.DATABASE_URL;
  if (!url) return Promise.reject(new Error("DATABASE_URL is not set"));
  state.headroomJobsClient ??= new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false, migrate: false }).start().catch((e: unknown) => {
    state.headroomJobsClient = undefined;
    throw e;
  });
  return state.headroomJobsClient;
}

/** At most one early sync per cluster in this many seconds, however many incidents an agent opens. */
const EARLY_SYNC_SECONDS = 60;

/**
 * An agent's batch opened an incident: the cluster's Prometheus is read now (a queued sync, not at
 * the next interval) so the incident gets the engine's analysis of the history around the kill within
 * seconds. Only for clusters with a Prometheus; never fails the caller (the scheduled sync catches up).
 */
export async function enqueueEarlySync(db: Db, q: { orgId: string; clusterId: string }): Promise<boolean> {
  try {
    const [c] = await db.select({ slug: clusters.slug, kind: clusters.metricsKind, url: clusters.prometheusUrl }).from(clusters).where(and(eq(clusters.id, q.clusterId), eq(clusters.orgId, q.orgId)));
    if (!c || c.kind !== "prometheus" || !c.url) return false;
    const boss = await jobsClient();
    const data: ClusterSyncData = { orgId: q.orgId, clusterId: q.clusterId, slug: c.slug };
    return (await boss.send(JOB.clusterSync, data, { singletonKey: `early:${q.clusterId}`, singletonSeconds: EARLY_SYNC_SECONDS })) !== null;
  } catch (e) {
    console.warn(`[jobs] early sync of a cluster not queued: ${(e as Error).message}`);
    return false;
  }
}
