import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, workloads } from "@/db/schema";
import { killsBetween, killsPerContainerSince, utcDay } from "./oom-totals";

export type OffenderRow = {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  workloadId: string;
  ooms30d: number;
  lastOomAt: string;
  incidentId: string | null;
  incidentStatus: "open" | "acknowledged" | null;
  pattern: string | null;
  /** the active incident's stored analysis and when it was computed */
  analysis: unknown;
  analyzedAt: string | null;
};

export interface OverviewCounts {
  ooms24h: number;
  ooms7d: number;
  ooms30d: number;
  activeIncidents: number;
  clusters: number;
  workloads: number;
  dailyOoms: { day: string; count: number }[];
}

/**
 * OOMKill counts over 24 h / 7 d / 30 d, active incidents, clusters, workloads and OOMKills per day
 * for 30 days, in one statement that reads the daily rollup and at most a day of kills at each edge
 * (lib/queries/oom-totals.ts): its cost does not grow with the number of kills.
 */
export async function getOverviewCounts(db: Db, q: { orgId: string; now: Date }): Promise<OverviewCounts> {
  const ago = (days: number) => new Date(q.now.getTime() - days * 86_400_000);
  const result = await db.execute<{
    ooms24h: number; ooms7d: number; ooms30d: number; active: number; clusters: number; workloads: number; daily: { day: string; count: number }[];
  }>(sql`with per_day as materialized (
      select day, sum(kills)::int as kills from oom_kills_daily where org_id = ${q.orgId} and day >= ${utcDay(ago(30))}::date group by day
    )
    select
      ${killsBetween(q.orgId, ago(1), q.now, sql`per_day`)} as "ooms24h",
      ${killsBetween(q.orgId, ago(7), q.now, sql`per_day`)} as "ooms7d",
      ${killsBetween(q.orgId, ago(30), q.now, sql`per_day`)} as "ooms30d",
      (select count(*)::int from incidents where org_id = ${q.orgId} and status <> 'resolved') as "active",
      (select count(*)::int from clusters where org_id = ${q.orgId}) as "clusters",
      (select count(*)::int from workloads where org_id = ${q.orgId}) as "workloads",
      (select json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'count', coalesce(k.kills, 0)) order by d.day)
        from generate_series(${utcDay(ago(29))}::date, ${utcDay(q.now)}::date, interval '1 day') as d(day)
        left join per_day k on k.day = d.day::date
      ) as "daily"`);
  const c = result.rows[0]!;
  return {
    ooms24h: c.ooms24h, ooms7d: c.ooms7d, ooms30d: c.ooms30d, activeIncidents: c.active,
    clusters: c.clusters, workloads: c.workloads, dailyOoms: c.daily.map((r) => ({ day: r.day, count: Number(r.count) })),
  };
}

/**
 * The workload containers with the most OOMKills in 30 days, with their active incident if any: the
 * totals from the daily rollup, ranked and cut before anything wide (names, the incident's analysis)
 * is joined to the few rows shown.
 */
export async function listTopOffenders(db: Db, q: { orgId: string; now: Date; limit: number }): Promise<OffenderRow[]> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const rows = await db.execute<OffenderRow>(sql`
    with top as (
      select workload_id, container_name, kills, last_at from ${killsPerContainerSince(q.orgId, since)} k
      where workload_id is not null order by kills desc, last_at desc limit ${q.limit}
    )
    select c.slug as "cluster", w.namespace as "namespace", w.kind as "workloadKind", w.name as "workloadName",
      top.container_name as "container", w.id as "workloadId", top.kills as "ooms30d",
      to_char(top.last_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastOomAt",
      i.id as "incidentId", i.status as "incidentStatus", i.pattern as "pattern", i.analysis as "analysis",
      to_char(i.analyzed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "analyzedAt"
    from top
    join workloads w on w.id = top.workload_id and w.org_id = ${q.orgId}
    join clusters c on c.id = w.cluster_id and c.org_id = ${q.orgId}
    left join incidents i on i.workload_id = top.workload_id and i.container_name = top.container_name
      and i.org_id = ${q.orgId} and i.status <> 'resolved'
    order by top.kills desc, top.last_at desc`);
  return rows.rows;
}

export interface LimitedContainer {
  cluster: string;
  metricsKind: "demo" | "prometheus";
  prometheusUrl: string | null;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  limitBytes: number;
  requestBytes: number | null;
}

/** Every container of the organization that has a memory limit (candidates for "most at risk"). */
export async function listLimitedContainers(db: Db, q: { orgId: string }): Promise<LimitedContainer[]> {
  const rows = await db
    .select({
      cluster: clusters.slug,
      metricsKind: clusters.metricsKind,
      prometheusUrl: clusters.prometheusUrl,
      namespace: workloads.namespace,
      workloadKind: workloads.kind,
      workloadName: workloads.name,
      container: containers.name,
      limitBytes: containers.limitBytes,
      requestBytes: containers.requestBytes,
    })
    .from(containers)
    .innerJoin(workloads, and(eq(workloads.id, containers.workloadId), eq(workloads.orgId, containers.orgId)))
    .innerJoin(clusters, and(eq(clusters.id, workloads.clusterId), eq(clusters.orgId, workloads.orgId)))
    .where(and(eq(containers.orgId, q.orgId), sql`${containers.limitBytes} is not null`));
  return rows.map((r) => ({ ...r, limitBytes: r.limitBytes! }));
}

