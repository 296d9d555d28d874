import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { containers, incidents, workloads } from "@/db/schema";
import { isoTime } from "./sql";

/** A workload (by namespace, kind in any case, and name) in one of the org's clusters, with its containers; null if none. */
export async function getWorkloadWithContainers(db: Db, q: { orgId: string; clusterId: string; namespace: string; kind: string; name: string }) {
  const [w] = await db
    .select()
    .from(workloads)
    .where(and(eq(workloads.orgId, q.orgId), eq(workloads.clusterId, q.clusterId), eq(workloads.namespace, q.namespace), sql`lower(${workloads.kind}) = ${q.kind.toLowerCase()}`, eq(workloads.name, q.name)))
    .limit(1);
  if (!w) return null;
  const list = await db.select().from(containers).where(and(eq(containers.orgId, q.orgId), eq(containers.workloadId, w.id))).orderBy(asc(containers.name));
  return { workload: w, containers: list };
}

export interface ActiveIncident {
  id: string;
  status: "open" | "acknowledged" | "resolved";
  oomCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** The unresolved incident of a workload container, if there is one. */
export async function getActiveIncident(db: Db, q: { orgId: string; workloadId: string; container: string }): Promise<ActiveIncident | null> {
  const [row] = await db
    .select({ id: incidents.id, status: incidents.status, oomCount: incidents.oomCount, firstSeenAt: isoTime(incidents.firstSeenAt), lastSeenAt: isoTime(incidents.lastSeenAt) })
    .from(incidents)
    .where(and(eq(incidents.orgId, q.orgId), eq(incidents.workloadId, q.workloadId), eq(incidents.containerName, q.container), sql`${incidents.status} <> 'resolved'`))
    .limit(1);
  return row ?? null;
}
