import "server-only";
import { sql, type SQL } from "drizzle-orm";

const DAY_MS = 86_400_000;

/** The UTC date (YYYY-MM-DD) of an instant. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);
const startOfNextDay = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + DAY_MS);

/**
 * How a window of OOMKills starting at `since` is read without touching every kill: the whole UTC
 * days after since's day from the daily rollup (oom_kills_daily, one row per container and day), and
 * the part of since's own day from the kills themselves — an index-only range scan of at most a day
 * (oom_events_org_kills_idx). Open-ended: kills after `now` count, as they always did.
 */
export function killWindow(since: Date) {
  return { firstWholeDay: utcDay(startOfNextDay(since)), edgeFrom: since, edgeTo: startOfNextDay(since) };
}

/**
 * OOMKills of the organization with finished_at in [since, now], exactly, as one scalar subquery over
 * `perDay` (a relation of (day, kills) holding the organization's rollup for at least the window's
 * days): whole days strictly between the edges from it, both partial edge days from the kills.
 */
export function killsBetween(orgId: string, since: Date, now: Date, perDay: SQL): SQL<number> {
  const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const edgeTo = startOfNextDay(since);
  // a window within one day is read from the kills alone
  if (edgeTo.getTime() > today.getTime()) {
    return sql<number>`(select count(*)::int from oom_events where org_id = ${orgId} and reason = 'OOMKilled' and finished_at >= ${since} and finished_at <= ${now})`;
  }
  return sql<number>`((select coalesce(sum(kills), 0)::int from ${perDay} where day >= ${utcDay(edgeTo)}::date and day < ${utcDay(today)}::date)
    + (select count(*)::int from oom_events where org_id = ${orgId} and reason = 'OOMKilled' and finished_at >= ${since} and finished_at < ${edgeTo})
    + (select count(*)::int from oom_events where org_id = ${orgId} and reason = 'OOMKilled' and finished_at >= ${today} and finished_at <= ${now}))`;
}

/**
 * OOMKills since `since` (open-ended) per workload container — rows of (cluster_id, workload_id,
 * container_name, kills, last_at) — as a subquery for a `from`: the rollup's whole days and the
 * kills of since's own day. `where` narrows both parts (e.g. to one cluster).
 */
export function killsPerContainerSince(orgId: string, since: Date, where: { clusterId?: string | SQL } = {}): SQL {
  const w = killWindow(since);
  const rollupScope = where.clusterId ? sql`and cluster_id = ${where.clusterId}` : sql``;
  return sql`(select cluster_id, workload_id, container_name, sum(n)::int as kills, max(last_at) as last_at from (
      select cluster_id, workload_id, container_name, sum(kills) as n, max(last_at) as last_at from oom_kills_daily
      where org_id = ${orgId} and day >= ${w.firstWholeDay} ${rollupScope} group by 1, 2, 3
      union all
      select cluster_id, workload_id, container_name, count(*) as n, max(finished_at) from oom_events
      where org_id = ${orgId} and reason = 'OOMKilled' and finished_at >= ${w.edgeFrom} and finished_at < ${w.edgeTo} ${rollupScope} group by 1, 2, 3
    ) parts group by 1, 2, 3)`;
}
