import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, workloads } from "@/db/schema";

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

/** OOMKill counts over 24 h / 7 d / 30 d, active incidents, and OOMKills per day for 30 days. */
export async function getOverviewCounts(db: Db, q: { orgId: string; now: Date }): Promise<OverviewCounts> {
  const ago = (days: number) => new Date(q.now.getTime() - days * 86_400_000);
  const result = await db.execute<{
    ooms24h: number; ooms7d: number; ooms30d: number; active: number; clusters: number; workloads: number;
  }>(sql`select
      (select count(*)::int from oom_events where org_id = ${q.orgId} and reason = 'OOMKilled' and finished_at >= ${ago(1)} and finished_at <= ${q.now}) as "ooms24h",
      (select count(*)::int from oom_events where org_id = ${q.orgId} and reason = 'OOMKilled' and finished_at >= ${ago(7)} and finished_at <= ${q.now}) as "ooms7d",
      (select count(*)::int from oom_events where org_id = ${q.orgId} and reason = 'OOMKilled' and finished_at >= ${ago(30)} and finished_at <= ${q.now}) as "ooms30d",
      (select count(*)::int from incidents where org_id = ${q.orgId} and status <> 'resolved') as "active",
      (select count(*)::int from clusters where org_id = ${q.orgId}) as "clusters",
      (select count(*)::int from workloads where org_id = ${q.orgId}) as "workloads"`);
  const c = result.rows[0]!;
  const daily = await db.execute<{ day: string; count: number }>(sql`
    select to_char(d.day, 'YYYY-MM-DD') as day, coalesce(e.count, 0)::int as count
    from generate_series(date_trunc('day', ${ago(29)}::timestamptz at time zone 'UTC'), date_trunc('day', ${q.now}::timestamptz at time zone 'UTC'), interval '1 day') as d(day)
    left join (
      select date_trunc('day', finished_at at time zone 'UTC') as day, count(*) as count from oom_events
      where org_id = ${q.orgId} and reason = 'OOMKilled' and finished_at >= ${ago(30)} group by 1
    ) e on e.day = d.day order by d.day`);
  return {
    ooms24h: c.ooms24h, ooms7d: c.ooms7d, ooms30d: c.ooms30d, activeIncidents: c.active,
    clusters: c.clusters, workloads: c.workloads, dailyOoms: daily.rows.map((r) => ({ day: r.day, count: Number(r.count) })),
  };
}

/** The workload containers with the most OOMKills in 30 days, with their active incident if any. */
export async function listTopOffenders(db: Db, q: { orgId: string; now: Date; limit: number }): Promise<OffenderRow[]> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const rows = await db.execute<OffenderRow>(sql`
    select c.slug as "cluster", w.namespace as "namespace", w.kind as "workloadKind", w.name as "workloadName",
      e.container_name as "container", w.id as "workloadId", count(*)::int as "ooms30d",
      to_char(max(e.finished_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastOomAt",
      i.id as "incidentId", i.status as "incidentStatus", i.pattern as "pattern", i.analysis as "analysis",
      to_char(i.analyzed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "analyzedAt"
    from oom_events e
    join workloads w on w.id = e.workload_id and w.org_id = e.org_id
    join clusters c on c.id = e.cluster_id and c.org_id = e.org_id
    left join incidents i on i.workload_id = e.workload_id and i.container_name = e.container_name
      and i.org_id = e.org_id and i.status <> 'resolved'
    where e.org_id = ${q.orgId} and e.reason = 'OOMKilled' and e.finished_at >= ${since}
    group by c.slug, w.namespace, w.kind, w.name, w.id, e.container_name, i.id, i.status, i.pattern, i.analysis, i.analyzed_at
    order by count(*) desc, max(e.finished_at) desc
    limit ${q.limit}`);
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

