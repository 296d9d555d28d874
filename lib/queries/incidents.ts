import "server-only";
import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, incidents, workloads } from "@/db/schema";
import type { ListIncidentsQuery } from "@/lib/schemas/lists";
import type { Page } from "./workloads";
import { isoTime } from "./sql";

export interface IncidentRow {
  id: string;
  status: "open" | "acknowledged" | "resolved";
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

/** A page of the organization's incidents, most recent OOMKill first, filtered by cluster, namespace and status. */
export async function listIncidents(db: Db, q: { orgId: string } & ListIncidentsQuery): Promise<Page<IncidentRow>> {
  const where: SQL[] = [eq(incidents.orgId, q.orgId)];
  if (q.cluster) where.push(eq(clusters.slug, q.cluster));
  if (q.namespace) where.push(eq(workloads.namespace, q.namespace));
  if (q.status === "active") where.push(inArray(incidents.status, ["open", "acknowledged"]));
  else if (q.status !== "all") where.push(eq(incidents.status, q.status));
  const rows = await db
    .select({
      id: incidents.id,
      status: incidents.status,
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
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(incidents)
    .innerJoin(workloads, and(eq(workloads.id, incidents.workloadId), eq(workloads.orgId, incidents.orgId)))
    .innerJoin(clusters, and(eq(clusters.id, incidents.clusterId), eq(clusters.orgId, incidents.orgId)))
    .where(and(...where))
    .orderBy(desc(incidents.lastSeenAt), desc(incidents.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize };
}
