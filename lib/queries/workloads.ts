import "server-only";
import { and, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { workloads } from "@/db/schema";
import { killWindow } from "./oom-totals";
import type { ListWorkloadsQuery } from "@/lib/schemas/lists";

export interface WorkloadRow {
  id: string;
  namespace: string;
  kind: string;
  name: string;
  replicas: number;
  containers: { name: string; requestBytes: number | null; limitBytes: number | null }[];
  requestBytes: number | null;
  limitBytes: number | null;
  ooms30d: number;
  lastOomAt: string | null;
  /** the verdict (pattern) of the workload's most recent unresolved incident, if any */
  pattern: string | null;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A page of the cluster's workloads, filtered and sorted, with container resources and OOMKills in 30 days. */
export async function listWorkloads(
  db: Db,
  q: { orgId: string; clusterId: string; now: Date } & ListWorkloadsQuery,
): Promise<Page<WorkloadRow>> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  // drizzle writes columns unqualified in a one-table select: correlated subqueries name the outer table themselves
  const containerAgg = sql`(select coalesce(json_agg(json_build_object('name', c.name, 'requestBytes', c.request_bytes, 'limitBytes', c.limit_bytes) order by c.name), '[]'::json)
    from containers c where c.workload_id = workloads.id and c.org_id = workloads.org_id)`;
  // a workload's request or limit is the sum over its containers; unknown when any container has none
  const sumOf = (col: "request_bytes" | "limit_bytes") =>
    sql<number | null>`(select case when count(*) = count(c.${sql.raw(col)}) then sum(c.${sql.raw(col)})::float8 end
      from containers c where c.workload_id = workloads.id and c.org_id = workloads.org_id)`;
  // OOMKills from the daily rollup (whole days) and the kills of the window's first, partial day (lib/queries/oom-totals.ts)
  const w = killWindow(since);
  const ooms = sql<number>`((select coalesce(sum(d.kills), 0)::int from oom_kills_daily d where d.cluster_id = workloads.cluster_id and d.workload_id = workloads.id
    and d.day >= ${w.firstWholeDay}::date)
    + (select count(*)::int from oom_events e where e.workload_id = workloads.id and e.org_id = workloads.org_id
    and e.reason = 'OOMKilled' and e.finished_at >= ${w.edgeFrom} and e.finished_at < ${w.edgeTo}))`;
  const lastOom = sql<string | null>`(select to_char(max(d.last_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') from oom_kills_daily d
    where d.cluster_id = workloads.cluster_id and d.workload_id = workloads.id)`;
  const containerCount = sql<number>`(select count(*)::int from containers c where c.workload_id = workloads.id)`;
  const openPattern = sql<string | null>`(select i.pattern from incidents i where i.workload_id = workloads.id and i.org_id = workloads.org_id
    and i.status <> 'resolved' and i.pattern is not null order by i.last_seen_at desc limit 1)`;

  const where: SQL[] = [eq(workloads.orgId, q.orgId), eq(workloads.clusterId, q.clusterId)];
  if (q.namespace) where.push(eq(workloads.namespace, q.namespace));
  if (q.pattern) where.push(sql`${openPattern} = ${q.pattern}`);
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(workloads.name, like), ilike(workloads.namespace, like), ilike(workloads.kind, like))!);
  }
  const sortExpr: Record<ListWorkloadsQuery["sort"], SQL> = {
    namespace: sql`${workloads.namespace}`,
    kind: sql`${workloads.kind}`,
    name: sql`${workloads.name}`,
    containers: sql`${containerCount}`,
    request: sql`${sumOf("request_bytes")}`,
    limit: sql`${sumOf("limit_bytes")}`,
    ooms: sql`${ooms}`,
  };
  const dir = q.dir === "asc" ? sql`asc nulls first` : sql`desc nulls last`;
  const rows = await db
    .select({
      id: workloads.id,
      namespace: workloads.namespace,
      kind: workloads.kind,
      name: workloads.name,
      replicas: workloads.replicas,
      containers: sql<WorkloadRow["containers"]>`${containerAgg}`,
      requestBytes: sumOf("request_bytes"),
      limitBytes: sumOf("limit_bytes"),
      ooms30d: ooms,
      lastOomAt: lastOom,
      pattern: openPattern,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(workloads)
    .where(and(...where))
    .orderBy(sql`${sortExpr[q.sort]} ${dir}`, sql`${workloads.namespace} asc`, sql`${workloads.name} asc`)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const total = rows[0]?.total ?? (q.page > 1 ? await countWorkloads(db, where) : 0);
  return { rows: rows.map(({ total: _t, ...r }) => r), total, page: q.page, pageSize: q.pageSize };
}

async function countWorkloads(db: Db, where: SQL[]) {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(workloads).where(and(...where));
  return r?.n ?? 0;
}

/** The namespaces of a cluster's workloads, for the filter. */
export async function listNamespaces(db: Db, q: { orgId: string; clusterId: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ namespace: workloads.namespace })
    .from(workloads)
    .where(and(eq(workloads.orgId, q.orgId), eq(workloads.clusterId, q.clusterId)))
    .orderBy(workloads.namespace);
  return rows.map((r) => r.namespace);
}

/** Every namespace with a workload in the organization, for filters. */
export async function listOrgNamespaces(db: Db, q: { orgId: string }): Promise<string[]> {
  const rows = await db.selectDistinct({ namespace: workloads.namespace }).from(workloads).where(eq(workloads.orgId, q.orgId)).orderBy(workloads.namespace);
  return rows.map((r) => r.namespace);
}
