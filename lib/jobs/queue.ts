import PgBoss from "pg-boss";
import type { Db } from "@/db/connect";
import { JOB, type ClusterSyncData, type NotifyDeliverData } from "./kinds";
import { CLAIM_SCHEMA_VERSION, startOrgFairWorker, type OrgFairWorker } from "./org-fair-worker";
import { enqueueDueSyncs, tickSecondsFor } from "./schedule";

export interface JobsOptions {
  /** the database (its pool runs the fair claims and the due-cluster query) */
  db: Db;
  /** the same database for pg-boss's own pool */
  databaseUrl: string;
  /** the Prometheus sync of one cluster (the app passes syncNow) */
  sync: (c: ClusterSyncData) => Promise<unknown>;
  /** closes incidents whose fix held; left out, the job kind is not registered */
  verifyFixes?: (now: Date) => Promise<unknown>;
  /** notifications: the scan (every minute; at-risk containers when `atRisk`) and one channel's delivery; left out, not registered */
  notify?: {
    scan: (q: { now: Date; atRisk: boolean }) => Promise<NotifyDeliverData[]>;
    deliver: (q: NotifyDeliverData & { jobId: string; lastAttempt: boolean; now: Date }) => Promise<unknown>;
    /** how long a channel's first event waits for others to join it in one message (HEADROOM_NOTIFY_GROUP_SECONDS) */
    groupSeconds?: number;
    /** attempts after the first for a failed delivery (5xx, network), with exponential backoff from retryDelaySeconds */
    retryLimit?: number;
    retryDelaySeconds?: number;
  };
  /** a cluster is due when its last sync is older than this; 0 turns scheduled syncs off (HEADROOM_SYNC_INTERVAL_SECONDS) */
  intervalSeconds: number;
  /** sync jobs this process runs at once (HEADROOM_JOB_CONCURRENCY) */
  concurrency?: number;
  /** sync jobs one organization runs at once across every replica (HEADROOM_SYNC_CONCURRENCY_PER_ORG) */
  perOrg?: number;
  /** a sync attempt taking longer fails, and is retried (HEADROOM_SYNC_TIMEOUT_SECONDS) */
  syncTimeoutSeconds?: number;
  /** attempts after the first, with exponential backoff from retryDelaySeconds */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** how often an idle worker looks for jobs queued by another replica */
  pollSeconds?: number;
  log?: (message: string) => void;
}

export interface RunningJobs {
  boss: PgBoss;
  /** makes this process look for queued sync jobs now instead of at its next poll */
  wake(): void;
  /** stops taking work, waits up to `timeoutMs` for running jobs (then hands them back), closes pg-boss's pool */
  stop(timeoutMs?: number): Promise<void>;
}

export const JOB_DEFAULTS = { concurrency: 4, perOrg: 2, syncTimeoutSeconds: 120, retryLimit: 2, retryDelaySeconds: 30, pollSeconds: 2 };

const intFromEnv = (name: string, fallback: number, env: Record<string, string | undefined>) => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of 0 or more, got "${raw}"`);
  return n;
};

/** The queue's settings from the environment (see README, Background jobs). */
export function jobSettingsFromEnv(env: Record<string, string | undefined> = process.env) {
  return {
    intervalSeconds: intFromEnv("HEADROOM_SYNC_INTERVAL_SECONDS", 600, env),
    concurrency: Math.max(1, intFromEnv("HEADROOM_JOB_CONCURRENCY", JOB_DEFAULTS.concurrency, env)),
    perOrg: Math.max(1, intFromEnv("HEADROOM_SYNC_CONCURRENCY_PER_ORG", JOB_DEFAULTS.perOrg, env)),
    syncTimeoutSeconds: Math.max(1, intFromEnv("HEADROOM_SYNC_TIMEOUT_SECONDS", JOB_DEFAULTS.syncTimeoutSeconds, env)),
  };
}

async function withSetupLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('headroom.jobs.setup'))");
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext('headroom.jobs.setup'))");
    }
  } finally {
    client.release();
  }
}

/**
 * Starts the Postgres-backed queue (pg-boss creates or migrates its `pgboss` schema itself), creates
 * the queues and registers the workers: cluster.sync (fair per organization), clusters.schedule
 * (one run per tick across replicas) and incidents.verify-fixes (every 10 minutes).
 */
export async function startJobs(o: JobsOptions): Promise<RunningJobs> {
  const log = o.log ?? ((m: string) => console.warn(m));
  const concurrency = o.concurrency ?? JOB_DEFAULTS.concurrency;
  const perOrg = o.perOrg ?? JOB_DEFAULTS.perOrg;
  const pollSeconds = o.pollSeconds ?? JOB_DEFAULTS.pollSeconds;
  const boss = new PgBoss({
    connectionString: o.databaseUrl,
    max: 4,
    application_name: "headroom-jobs",
    // failed jobs stay in the job table (retryable from the jobs page) for a week, then in the archive for another
    archiveFailedAfterSeconds: 7 * 86_400,
  });
  // pg-boss reports its own loop's errors here (a lost connection); they must not crash the server
  boss.on("error", (e: Error) => log(`[jobs] ${e.message}`));
  await boss.start();
  const version = Number(await boss.schemaVersion());
  if (version !== CLAIM_SCHEMA_VERSION) {
    await boss.stop({ graceful: false });
    throw new Error(`pg-boss schema version ${version}, but the fair claim of cluster.sync was written for ${CLAIM_SCHEMA_VERSION}: check lib/jobs/org-fair-worker.ts against this pg-boss`);
  }

  const queue = (name: string, options: PgBoss.Queue) =>
    // two replicas creating the same queue at once deadlock in pg-boss's create_queue (it attaches a
    // partition): creation is serialized with a session advisory lock held on one of our connections
    withSetupLock(o.db, async () => {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, options);
      else await boss.updateQueue(name, options);
    });
  const syncTimeoutSeconds = o.syncTimeoutSeconds ?? JOB_DEFAULTS.syncTimeoutSeconds;
  await queue(JOB.clusterSync, {
    name: JOB.clusterSync,
    policy: "standard",
    // the worker fails an attempt at its timeout; pg-boss's expiry, a minute later, retries the job of a worker that died
    expireInSeconds: syncTimeoutSeconds + 60,
    retryLimit: o.retryLimit ?? JOB_DEFAULTS.retryLimit,
    retryDelay: o.retryDelaySeconds ?? JOB_DEFAULTS.retryDelaySeconds,
    retryBackoff: true,
  });
  await queue(JOB.clustersSchedule, { name: JOB.clustersSchedule, policy: "standard", expireInSeconds: 60, retryLimit: 0 });

  const syncWorker: OrgFairWorker = startOrgFairWorker<ClusterSyncData>({
    boss, pool: o.db.$client, queue: JOB.clusterSync, concurrency, perOrg, pollMs: pollSeconds * 1000, timeoutSeconds: syncTimeoutSeconds, log,
    handler: (job) => o.sync(job.data),
  });

  let tickTimer: NodeJS.Timeout | null = null;
  const interval = o.intervalSeconds;
  if (Number.isFinite(interval) && interval > 0) {
    const tickSeconds = tickSecondsFor(interval);
    const scheduleWorker = await boss.work(JOB.clustersSchedule, { pollingIntervalSeconds: Math.max(0.5, Math.min(pollSeconds, tickSeconds / 2)) }, async () => {
      try {
        const queued = await enqueueDueSyncs(o.db, boss, { intervalSeconds: interval, now: Date.now() });
        if (queued) syncWorker.wake();
        return { queued };
      } catch (e) {
        log(`[jobs] clusters.schedule: ${(e as Error).message}`);
        throw e;
      }
    });
    // every replica asks each tick; the singleton slot keeps it to one clusters.schedule job per tick
    const tick = () => {
      boss
        .send(JOB.clustersSchedule, {}, { singletonKey: "tick", singletonSeconds: Math.max(1, Math.round(tickSeconds)) })
        .then((id) => id && boss.notifyWorker(scheduleWorker))
        .catch((e: unknown) => log(`[jobs] clusters.schedule: ${(e as Error).message}`));
    };
    tick(); // due clusters are queued at start, not a tick later
    tickTimer = setInterval(tick, tickSeconds * 1000);
    tickTimer.unref();
  }

  if (o.verifyFixes) {
    const verify = o.verifyFixes;
    await queue(JOB.verifyFixes, { name: JOB.verifyFixes, policy: "standard", expireInSeconds: 600, retryLimit: 1, retryDelay: 60 });
    await boss.schedule(JOB.verifyFixes, "*/10 * * * *");
    await boss.work(JOB.verifyFixes, async () => {
      try {
        const result = await verify(new Date());
        return result && typeof result === "object" ? result : undefined;
      } catch (e) {
        log(`[jobs] incidents.verify-fixes: ${(e as Error).message}`);
        throw e;
      }
    });
  }

  if (o.notify) await startNotifyJobs(boss, o.notify, { queue, log });

  let stopping: Promise<void> | null = null;
  return {
    boss,
    wake: () => syncWorker.wake(),
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        if (tickTimer) clearInterval(tickTimer);
        await syncWorker.stop(timeoutMs);
        await boss.stop({ graceful: true, wait: true, timeout: Math.max(1000, timeoutMs) });
      })();
      return stopping;
    },
  };
}

/** How often the notification scan reads the at-risk list (minutes): the scan itself runs every minute for new incidents. */
const AT_RISK_SCAN_MINUTES = 5;

/**
 * notify.scan every minute (one run per minute across replicas: pg-boss's cron), and notify.deliver:
 * one queued job per channel at a time (the stately policy refuses a second while one waits), started
 * `groupSeconds` after the first event so a burst leaves as one message; failures retried with backoff.
 */
async function startNotifyJobs(boss: PgBoss, n: NonNullable<JobsOptions["notify"]>, h: { queue: (name: string, options: PgBoss.Queue) => Promise<void>; log: (m: string) => void }) {
  const groupSeconds = n.groupSeconds ?? 30;
  await h.queue(JOB.notifyDeliver, { name: JOB.notifyDeliver, policy: "stately", expireInSeconds: 120, retryLimit: n.retryLimit ?? 4, retryDelay: n.retryDelaySeconds ?? 15, retryBackoff: true });
  await h.queue(JOB.notifyScan, { name: JOB.notifyScan, policy: "standard", expireInSeconds: 300, retryLimit: 0 });
  await boss.schedule(JOB.notifyScan, "* * * * *");
  await boss.work<NotifyDeliverData>(JOB.notifyDeliver, { includeMetadata: true, pollingIntervalSeconds: 2 }, async ([job]) => {
    if (!job) return;
    return n.deliver({ ...job.data, jobId: job.id, lastAttempt: job.retryCount >= job.retryLimit, now: new Date() });
  });
  await boss.work(JOB.notifyScan, async () => {
    try {
      const now = new Date();
      const channels = await n.scan({ now, atRisk: now.getUTCMinutes() % AT_RISK_SCAN_MINUTES === 0 });
      for (const c of channels) await boss.send(JOB.notifyDeliver, c, { singletonKey: c.channelId, startAfter: groupSeconds });
      return { channels: channels.length };
    } catch (e) {
      h.log(`[jobs] notify.scan: ${(e as Error).message}`);
      throw e;
    }
  });
}
