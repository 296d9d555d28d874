import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters } from "@/db/schema";
import { NotFoundError } from "@/lib/http/errors";
import { promLabels, type PromLabels } from "@/lib/metrics/promql";

/** A cluster's identity and the label names its metrics carry (the cluster label and value, renamed namespace/pod/container). */
export interface ClusterLabels {
  id: string;
  slug: string;
  name: string;
  labels: PromLabels;
}

const labelsOf = (row: typeof clusters.$inferSelect): PromLabels =>
  promLabels({ clusterLabel: row.clusterLabel, clusterValue: row.clusterLabelValue, cadvisor: row.prometheusLabelNames?.cadvisor, ksm: row.prometheusLabelNames?.ksm });

/** One of the organization's clusters with its label names; a NotFoundError for another organization's. */
export async function getClusterLabels(db: Db, q: { orgId: string; slug: string }): Promise<ClusterLabels> {
  const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, q.orgId), eq(clusters.slug, q.slug))).limit(1);
  if (!row) throw new NotFoundError("cluster");
  return { id: row.id, slug: row.slug, name: row.name, labels: labelsOf(row) };
}

/** Every cluster of the organization with its label names. */
export async function listClusterLabels(db: Db, q: { orgId: string }): Promise<ClusterLabels[]> {
  const rows = await db.select().from(clusters).where(eq(clusters.orgId, q.orgId));
  return rows.map((row) => ({ id: row.id, slug: row.slug, name: row.name, labels: labelsOf(row) }));
}
