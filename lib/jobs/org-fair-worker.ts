import type PgBoss from "pg-boss";
import type pg from "pg";
import { BOSS_SCHEMA } from "./kinds";
import { redactError } from "./redact";

/** pg-boss's schema version the claim below was written against (node_modules/pg-boss/version.json). */
export const CLAIM_SCHEMA_VERSION = 24;

export interface ClaimedJob<T> {
  id: string;
  data: T;
  /** 0 on the first attempt */
  retryCount: number;
  retryLimit: number;
  expireInSeconds: number;
}

/**
 * Claims the oldest due job of `queue` whose organization (data.orgId) runs fewer than `perOrg` of
 * them right now, across every replica, or null. pg-boss 10 has no per-group concurrency and its own
 * fetch cannot skip a busy organization, so this one statement does what its fetch does (state,
 * started_on, retry_count exactly as pg-boss's fetchNextJob sets them) plus that filter; completing,
 * failing, retries with backoff, expiry and archiving stay pg-boss's. The transaction-level advisory
 * lock serializes claims of this queue, so the count cannot be read stale by two replicas at once.
 */
export async function claimJob<T>(pool: pg.Pool, q: { queue: string; perOrg: number }): Promise<ClaimedJob<T> | null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`headroom.claim.${q.queue}`]);
    const { rows } = await client.query(
      `WITH next AS (
         SELECT j.id FROM ${BOSS_SCHEMA}.job j
         WHERE j.name = $1 AND j.state < 'active' AND j.start_after < now()
           AND (SELECT count(*) FROM ${BOSS_SCHEMA}.job a
                WHERE a.name = $1 AND a.state = 'active' AND a.data->>'orgId' = j.data->>'orgId') < $2
         ORDER BY j.priority DESC, j.created_on, j.id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${BOSS_SCHEMA}.job j SET
         state = 'active',
         started_on = now(),
         retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1 ELSE j.retry_count END
       FROM next
       WHERE j.name = $1 AND j.id = next.id
       RETURNING j.id, j.data, j.retry_count AS "retryCount", j.retry_limit AS "retryLimit", EXTRACT(epoch FROM j.expire_in)::float8 AS "expireInSeconds"`,
      [q.queue, q.perOrg],
    );
    await client.query("COMMIT");
    return (rows[0] as ClaimedJob<T> | undefined) ?? null;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export interface OrgFairWorkerOptions<T> {
  boss: PgBoss;
  pool: pg.Pool;
  queue: string;
  /** jobs this process runs at once */
  concurrency: number;
  /** jobs of one organization running at once, across all replicas */
  perOrg: number;
  pollMs: number;
  /** an attempt running longer is failed here; the queue's own expiry (set longer) covers a worker that died */
  timeoutSeconds: number;
  handler: (job: ClaimedJob<T>) => Promise<unknown>;
  log: (message: string) => void;
}

/** A running worker: wake() looks for work now; stop() waits for running jobs up to `timeoutMs`, then gives them back. */
export interface OrgFairWorker {
  wake(): void;
  stop(timeoutMs: number): Promise<void>;
  /** jobs running in this process now */
  running(): number;
}

/**
 * Runs `queue`'s jobs with at most `concurrency` at once in this process and at most `perOrg` per
 * organization overall, so one organization's hanging jobs hold at most `perOrg` slots while the
 * others' keep flowing. A job that outlives `timeoutSeconds` is failed (and retried by pg-boss's
 * retry policy); its promise is abandoned, so a hung socket cannot hold a slot.
 */
export function startOrgFairWorker<T>(o: OrgFairWorkerOptions<T>): OrgFairWorker {
  const inFlight = new Map<string, Promise<void>>();
  const givenBack = new Set<string>();
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  const wake = () => {
    wakeUp?.();
    wakeUp = null;
  };

  const finish = async (job: ClaimedJob<T>, outcome: { ok: true; output: unknown } | { ok: false; message: string }) => {
    if (givenBack.has(job.id)) return;
    try {
      if (outcome.ok) {
        const output = outcome.output && typeof outcome.output === "object" && !Array.isArray(outcome.output) ? (outcome.output as object) : undefined;
        await (output ? o.boss.complete(o.queue, job.id, output) : o.boss.complete(o.queue, job.id));
      } else {
        await o.boss.fail(o.queue, job.id, { message: redactError(outcome.message) });
      }
    } catch (e) {
      // the database is away: pg-boss's maintenance expires the job and retries it elsewhere
      o.log(`[jobs] ${o.queue} ${job.id}: could not record the outcome: ${(e as Error).message}`);
    }
  };

  const run = (job: ClaimedJob<T>) => {
    const seconds = o.timeoutSeconds;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${seconds} s`)), seconds * 1000);
    });
    const done = Promise.race([Promise.resolve().then(() => o.handler(job)), deadline])
      .then(
        (output) => finish(job, { ok: true, output }),
        (e: unknown) => finish(job, { ok: false, message: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        clearTimeout(timer);
        inFlight.delete(job.id);
        wake();
      });
    inFlight.set(job.id, done);
  };

  const loop = (async () => {
    while (!stopped) {
      while (!stopped && inFlight.size < o.concurrency) {
        let job: ClaimedJob<T> | null = null;
        try {
          job = await claimJob<T>(o.pool, { queue: o.queue, perOrg: o.perOrg });
        } catch (e) {
          if (!stopped) o.log(`[jobs] ${o.queue}: cannot claim jobs: ${(e as Error).message}`);
        }
        if (!job) break;
        if (stopped) {
          // claimed while stopping: hand it back at once instead of starting it
          await finish(job, { ok: false, message: "the worker stopped before starting it" });
          break;
        }
        run(job);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.pollMs);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  })();

  return {
    wake,
    running: () => inFlight.size,
    async stop(timeoutMs: number) {
      stopped = true;
      wake();
      await loop;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight.values()]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      // still running: give them back (failed, so pg-boss retries them on another replica)
      const left = [...inFlight.keys()];
      for (const id of left) givenBack.add(id);
      for (const id of left) await o.boss.fail(o.queue, id, { message: "the worker stopped before the job finished" }).catch(() => {});
    },
  };
}
