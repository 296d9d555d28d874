import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, incidents, workloads } from "@/db/schema";
import type { ContainerSpecRow } from "@/lib/incidents/analyze";
import { clusterOfWorkload, containerSubjectColumns, workloadOfContainer } from "./containers";

/** A container with a memory limit, with what its verdict needs and its unresolved incident, if any. */
export interface AtRiskSubject extends ContainerSpecRow {
  clusterId: string;
  cluster: string;
  currency: string;
  pricePerGibMonth: number;
  workloadId: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  replicas: number;
  limitBytes: number;
  incidentId: string | null;
}

/** Every container of the organization that has a memory limit (only those can be OOMKilled by it), in a stable order. */
export async function listAtRiskSubjects(db: Db, q: { orgId: string }): Promise<AtRiskSubject[]> {
  const rows = await db
    .select({ ...containerSubjectColumns, incidentId: incidents.id })
    .from(containers)
    .innerJoin(workloads, workloadOfContainer)
    .innerJoin(clusters, clusterOfWorkload)
    .leftJoin(
      incidents,
      and(eq(incidents.workloadId, containers.workloadId), eq(incidents.containerName, containers.name), eq(incidents.orgId, containers.orgId), sql`${incidents.status} <> 'resolved'`),
    )
    .where(and(eq(containers.orgId, q.orgId), sql`${containers.limitBytes} is not null`))
    .orderBy(clusters.slug, workloads.namespace, workloads.kind, workloads.name, containers.name);
  return rows.map((r) => ({ ...r, limitBytes: r.limitBytes! }));
}
