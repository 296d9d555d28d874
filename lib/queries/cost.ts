import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, workloads } from "@/db/schema";
import type { ContainerSpecRow } from "@/lib/incidents/analyze";
import { clusterOfWorkload, containerSubjectColumns, workloadOfContainer } from "./containers";
import { getPreset } from "@/lib/cost/pricing";
import type { ClusterPricingInput } from "@/lib/schemas/cost";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";

/** A container of the organization with what its cost and verdict need: spec, workload, cluster and its price. */
export interface CostSubject extends ContainerSpecRow {
  clusterId: string;
  cluster: string;
  metricsKind: "demo" | "prometheus";
  currency: string;
  pricePerGibMonth: number;
  workloadId: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  replicas: number;
  /** the workload's Kubernetes labels (null until an agent or direct read stored them) */
  labels: Record<string, string> | null;
}

/** Every container of the organization (all its clusters), in a stable order. */
export async function listCostSubjects(db: Db, q: { orgId: string }): Promise<CostSubject[]> {
  return db
    .select({ ...containerSubjectColumns, metricsKind: clusters.metricsKind, labels: workloads.labels })
    .from(containers)
    .innerJoin(workloads, workloadOfContainer)
    .innerJoin(clusters, clusterOfWorkload)
    .where(eq(containers.orgId, q.orgId))
    .orderBy(clusters.slug, workloads.namespace, workloads.kind, workloads.name, containers.name);
}

/** The latest stored verdict of each container that had an incident, by `workloadId/container`. */
export async function listStoredAnalyses(db: Db, q: { orgId: string }): Promise<Map<string, { analysis: unknown; analyzedAt: string | null }>> {
  const rows = await db.execute<{ workloadId: string; container: string; analysis: unknown; analyzedAt: string | null }>(sql`
    select distinct on (workload_id, container_name) workload_id as "workloadId", container_name as "container", analysis,
      to_char(analyzed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "analyzedAt"
    from incidents where org_id = ${q.orgId} and analysis is not null
    order by workload_id, container_name, analyzed_at desc nulls last`);
  return new Map(rows.rows.map((r) => [`${r.workloadId}/${r.container}`, { analysis: r.analysis, analyzedAt: r.analyzedAt }]));
}

export interface ClusterPricing {
  cluster: string;
  perGiBMonth: number;
  currency: string;
}

/** Sets a cluster's memory price (a preset's or a custom one) and records who changed it from what; null when not the org's. */
export async function setClusterPricing(db: Db, q: { orgId: string; slug: string; input: ClusterPricingInput; actor: AuditActor }): Promise<ClusterPricing | null> {
  const preset = q.input.preset ? getPreset(q.input.preset) : null;
  const perGiBMonth = preset ? preset.perGiBMonth : q.input.perGiBMonth!;
  const currency = preset ? preset.currency : q.input.currency!;
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ id: clusters.id, perGiBMonth: clusters.pricePerGibMonth, currency: clusters.currency })
      .from(clusters)
      .where(and(eq(clusters.orgId, q.orgId), eq(clusters.slug, q.slug)))
      .for("update")
      .limit(1);
    if (!before) return null;
    await tx.update(clusters).set({ pricePerGibMonth: perGiBMonth, currency }).where(and(eq(clusters.id, before.id), eq(clusters.orgId, q.orgId)));
    await writeAudit(tx, {
      orgId: q.orgId, actor: q.actor, action: "cluster.pricing.update", targetType: "cluster", targetId: before.id,
      data: { cluster: q.slug, preset: preset?.id ?? null, from: { perGiBMonth: before.perGiBMonth, currency: before.currency }, to: { perGiBMonth, currency } },
    });
    return { cluster: q.slug, perGiBMonth, currency };
  });
}
