import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, incidents, workloads } from "@/db/schema";
import type { ContainerSpecRow } from "@/lib/incidents/analyze";
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

/** A container's workload, joined within the organization. */
export const workloadOfContainer = and(eq(workloads.id, containers.workloadId), eq(workloads.orgId, containers.orgId));
/** A workload's cluster, joined within the organization. */
export const clusterOfWorkload = and(eq(clusters.id, workloads.clusterId), eq(clusters.orgId, workloads.orgId));

/**
 * What every per-container read of the fleet carries (the container page's verdicts, at risk, cost):
 * its cluster and memory price, its workload, its spec. Read `from(containers)` joined by
 * {@link workloadOfContainer} and {@link clusterOfWorkload}.
 */
export const containerSubjectColumns = {
  clusterId: clusters.id,
  cluster: clusters.slug,
  currency: clusters.currency,
  pricePerGibMonth: clusters.pricePerGibMonth,
  workloadId: workloads.id,
  namespace: workloads.namespace,
  workloadKind: workloads.kind,
  workloadName: workloads.name,
  replicas: workloads.replicas,
  name: containers.name,
  image: containers.image,
  command: containers.command,
  args: containers.args,
  env: containers.env,
  requestBytes: containers.requestBytes,
  limitBytes: containers.limitBytes,
  memoryVolumes: containers.memoryVolumes,
};

/** A workload container's spec with what its verdict needs besides metrics: workload, replicas, cluster and its pricing. */
export interface ContainerSpecWithWorkload extends ContainerSpecRow {
  workloadId: string;
  cluster: string;
  currency: string;
  pricePerGibMonth: number;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  replicas: number;
}

/** The specs of the given workload containers (those of the org only), for their verdicts. */
export async function listContainerSpecs(db: Db, q: { orgId: string; keys: { workloadId: string; container: string }[] }): Promise<ContainerSpecWithWorkload[]> {
  const workloadIds = [...new Set(q.keys.map((k) => k.workloadId))];
  if (workloadIds.length === 0) return [];
  const rows = await db
    .select(containerSubjectColumns)
    .from(containers)
    .innerJoin(workloads, workloadOfContainer)
    .innerJoin(clusters, clusterOfWorkload)
    .where(and(eq(containers.orgId, q.orgId), inArray(containers.workloadId, workloadIds)));
  const wanted = new Set(q.keys.map((k) => `${k.workloadId}/${k.container}`));
  return rows.filter((r) => wanted.has(`${r.workloadId}/${r.name}`));
}
