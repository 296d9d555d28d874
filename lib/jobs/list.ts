import "server-only";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import type { Db } from "@/db/connect";
import { BOSS_SCHEMA } from "./kinds";
import { redactError } from "./redact";

export interface OrgJob {
  id: string;
  kind: string;
  /** failed: out of attempts (or timed out on the last); retry: waiting for its next attempt */
  state: "failed" | "retry";
  cluster: string | null;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  /** when it failed; for a job waiting to retry, when the next attempt may start */
  at: string;
  /** still in the job table (not archived), so it can be retried */
  retryable: boolean;
}

export interface OrgJobs {
  counts: { queued: number; active: number; retrying: number; failed: number };
  jobs: OrgJob[];
}

const schema = sql.raw(BOSS_SCHEMA);

/** pg-boss's queue tables, or false on a database where the queue never started. */
async function hasQueueSchema(db: Db): Promise<boolean> {
  const { rows } = await db.execute<{ t: string | null }>(sql`SELECT to_regclass(${`${BOSS_SCHEMA}.job`})::text AS t`);
  return rows[0]?.t != null;
}

/** A stored failure's message: ours ({ message }), pg-boss's expiry ({ value: { message } }) or a serialized Error. */
function messageOf(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const o = output as { message?: unknown; value?: { message?: unknown } };
  const m = typeof o.message === "string" ? o.message : typeof o.value?.message === "string" ? o.value.message : null;
  if (m === "job failed by timeout in active state") return "timed out (its worker stopped answering)";
  return m === null ? null : redactError(m);
}

/**
 * The organization's background jobs: counts of queued, running, retrying and failed (this week) jobs,
 * and its failed or retrying jobs, newest first. Only jobs whose data carries this orgId.
 */
export async function listOrgJobs(db: Db, q: { orgId: string; limit?: number }): Promise<OrgJobs> {
  const empty: OrgJobs = { counts: { queued: 0, active: 0, retrying: 0, failed: 0 }, jobs: [] };
  if (!(await hasQueueSchema(db))) return empty;
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const counts = await db.execute<{ state: string; n: number }>(sql`
    SELECT state::text AS state, count(*)::int AS n FROM ${schema}.job
    WHERE data->>'orgId' = ${q.orgId} AND state IN ('created', 'retry', 'active', 'failed')
    GROUP BY state`);
  const by = Object.fromEntries(counts.rows.map((r) => [r.state, Number(r.n)]));
  const { rows } = await db.execute<{
    id: string; name: string; state: "failed" | "retry"; slug: string | null; output: unknown; retry_count: number; retry_limit: number;
    created_on: Date | string; at: Date | string; retryable: boolean;
  }>(sql`
    SELECT * FROM (
      SELECT id, name, state::text AS state, data->>'slug' AS slug, output, retry_count, retry_limit, created_on,
        CASE WHEN state = 'retry' THEN start_after ELSE completed_on END AS at, true AS retryable
      FROM ${schema}.job WHERE data->>'orgId' = ${q.orgId} AND state IN ('failed', 'retry')
      UNION ALL
      SELECT id, name, state::text, data->>'slug', output, retry_count, retry_limit, created_on, completed_on, false
      FROM ${schema}.archive WHERE data->>'orgId' = ${q.orgId} AND state = 'failed'
    ) j ORDER BY at DESC NULLS LAST, id LIMIT ${limit}`);
  const iso = (d: Date | string) => new Date(d).toISOString();
  return {
    counts: { queued: by.created ?? 0, active: by.active ?? 0, retrying: by.retry ?? 0, failed: by.failed ?? 0 },
    jobs: rows.map((r) => ({
      id: r.id,
      kind: r.name,
      state: r.state,
      cluster: r.slug,
      error: messageOf(r.output),
      // pg-boss counts the attempts after the first in retry_count
      attempts: Number(r.retry_count) + 1,
      maxAttempts: Number(r.retry_limit) + 1,
      createdAt: iso(r.created_on),
      at: iso(r.at),
      retryable: r.retryable && r.state === "failed",
    })),
  };
}

/**
 * Retries one of the organization's failed jobs (one more attempt), or returns false when no failed job
 * of this organization has that id: another organization's job is never touched.
 */
export async function retryOrgJob(db: Db, boss: () => Promise<PgBoss>, q: { orgId: string; id: string }): Promise<{ kind: string; cluster: string | null } | null> {
  if (!(await hasQueueSchema(db))) return null;
  const { rows } = await db.execute<{ name: string; slug: string | null }>(sql`
    SELECT name, data->>'slug' AS slug FROM ${schema}.job WHERE id = ${q.id}::uuid AND data->>'orgId' = ${q.orgId} AND state = 'failed'`);
  const job = rows[0];
  if (!job) return null;
  await (await boss()).retry(job.name, q.id);
  return { kind: job.name, cluster: job.slug };
}
