import "server-only";
import { and, eq, gt, isNotNull, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, incidents, users, workloads } from "@/db/schema";
import type { IncidentStatusFilter, ListIncidentsQuery } from "@/lib/schemas/lists";
import type { Page } from "./workloads";
import { isoTime } from "./sql";

export interface IncidentRow {
  id: string;
  status: "open" | "acknowledged" | "resolved";
  /** set while a snooze runs (ISO): the row shows as snoozed */
  snoozedUntil: string | null;
  /** how a resolved incident ended: manual, fix_verified or quiet */
  resolution: string | null;
  assignee: { userId: string; name: string } | null;
  pattern: string | null;
  oomCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  workloadId: string;
  resolvedAt: string | null;
  /** the stored analysis (the engine's output when it was last computed) and when that was */
  analysis: unknown;
  analyzedAt: string | null;
}

/** How many incidents each status filter holds, under the list's other filters. */
export type IncidentCounts = Record<IncidentStatusFilter, number>;

type Query = { orgId: string; userId?: string; now?: Date } & ListIncidentsQuery;

/** The condition of a status filter at `now` (snoozed incidents are only "snoozed" until their snooze ends). */
function statusWhere(status: IncidentStatusFilter, now: Date): SQL | undefined {
  const snoozed = and(ne(incidents.status, "resolved"), isNotNull(incidents.snoozedUntil), gt(incidents.snoozedUntil, now));
  const awake = or(isNull(incidents.snoozedUntil), lte(incidents.snoozedUntil, now));
  switch (status) {
    case "all": return undefined;
    case "resolved": return eq(incidents.status, "resolved");
    case "snoozed": return snoozed;
    case "active": return and(ne(incidents.status, "resolved"), awake);
    default: return and(eq(incidents.status, status), awake);
  }
}

/** Every filter of the list but its status. */
function filtersWhere(q: Query): SQL[] {
  const where: SQL[] = [eq(incidents.orgId, q.orgId)];
  if (q.cluster) where.push(eq(clusters.slug, q.cluster));
  if (q.namespace) where.push(eq(workloads.namespace, q.namespace));
  if (q.pattern) where.push(eq(incidents.pattern, q.pattern));
  if (q.assignee === "unassigned") where.push(isNull(incidents.assigneeUserId));
  else if (q.assignee === "anyone") where.push(isNotNull(incidents.assigneeUserId));
  else if (q.assignee === "me") where.push(q.userId ? eq(incidents.assigneeUserId, q.userId) : sql`false`);
  else if (q.assignee) where.push(eq(incidents.assigneeUserId, q.assignee));
  return where;
}

const SORTS: Record<ListIncidentsQuery["sort"], SQL[]> = {
  lastSeen: [sql`${incidents.lastSeenAt}`],
  firstSeen: [sql`${incidents.firstSeenAt}`],
  kills: [sql`${incidents.oomCount}`],
  workload: [sql`${clusters.slug}`, sql`${workloads.namespace}`, sql`${workloads.name}`, sql`${incidents.containerName}`],
};

/** A page of the organization's incidents, filtered (cluster, namespace, pattern, status, assignee) and sorted (most recent OOMKill first by default). */
export async function listIncidents(db: Db, q: Query): Promise<Page<IncidentRow>> {
  return (await listIncidentsWithCounts(db, q)).page;
}

/**
 * A page of incidents (as listIncidents) and the count of each status under its other filters, in
 * two statements run side by side: the page is a top-N sort that never carries every filtered row's
 * wide columns (no window count over them), and its total is its status's count.
 */
export async function listIncidentsWithCounts(db: Db, q: Query): Promise<{ page: Page<IncidentRow>; counts: IncidentCounts }> {
  const [rows, counts] = await Promise.all([incidentRows(db, q), countIncidentsByStatus(db, q)]);
  return { page: { rows, total: counts[q.status], page: q.page, pageSize: q.pageSize }, counts };
}

async function incidentRows(db: Db, q: Query): Promise<IncidentRow[]> {
  const now = q.now ?? new Date();
  const where = [...filtersWhere(q), statusWhere(q.status, now)].filter((x): x is SQL => x !== undefined);
  const dir = q.dir === "asc" ? sql`asc` : sql`desc`;
  const rows = await db
    .select({
      id: incidents.id,
      status: incidents.status,
      snoozedUntil: sql<string | null>`case when ${incidents.status} <> 'resolved' and ${incidents.snoozedUntil} > ${now} then ${isoTime(incidents.snoozedUntil)} end`,
      resolution: incidents.resolution,
      assigneeUserId: incidents.assigneeUserId,
      assigneeName: sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})`,
      pattern: incidents.pattern,
      oomCount: incidents.oomCount,
      firstSeenAt: isoTime(incidents.firstSeenAt),
      lastSeenAt: isoTime(incidents.lastSeenAt),
      cluster: clusters.slug,
      namespace: workloads.namespace,
      workloadKind: workloads.kind,
      workloadName: workloads.name,
      container: incidents.containerName,
      workloadId: incidents.workloadId,
      resolvedAt: isoTime(incidents.resolvedAt) as SQL<string | null>,
      analysis: incidents.analysis,
      analyzedAt: isoTime(incidents.analyzedAt) as SQL<string | null>,
    })
    .from(incidents)
    .innerJoin(workloads, and(eq(workloads.id, incidents.workloadId), eq(workloads.orgId, incidents.orgId)))
    .innerJoin(clusters, and(eq(clusters.id, incidents.clusterId), eq(clusters.orgId, incidents.orgId)))
    .leftJoin(users, eq(users.id, incidents.assigneeUserId))
    .where(and(...where))
    .orderBy(...SORTS[q.sort].map((s) => sql`${s} ${dir}`), sql`${incidents.lastSeenAt} desc`, sql`${incidents.id} desc`)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return rows.map(({ assigneeUserId, assigneeName, ...r }) => ({ ...r, assignee: assigneeUserId ? { userId: assigneeUserId, name: assigneeName ?? "a former member" } : null }));
}

/** How many incidents each status filter holds under the list's other filters (cluster, namespace, pattern, assignee). */
export async function countIncidentsByStatus(db: Db, q: Query): Promise<IncidentCounts> {
  const now = q.now ?? new Date();
  const n = (s: IncidentStatusFilter) => {
    const w = statusWhere(s, now);
    return (w ? sql<number>`count(*) filter (where ${w})` : sql<number>`count(*)`).mapWith(Number);
  };
  const [r] = await db
    .select({ open: n("open"), acknowledged: n("acknowledged"), snoozed: n("snoozed"), resolved: n("resolved"), active: n("active"), all: n("all") })
    .from(incidents)
    .innerJoin(workloads, and(eq(workloads.id, incidents.workloadId), eq(workloads.orgId, incidents.orgId)))
    .innerJoin(clusters, and(eq(clusters.id, incidents.clusterId), eq(clusters.orgId, incidents.orgId)))
    .where(and(...filtersWhere(q)));
  return r!;
}
