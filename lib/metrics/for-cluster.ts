import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters } from "@/db/schema";
import { sourceOptions } from "@/lib/clusters/prometheus-settings";
import { policyFromEnv } from "@/lib/security/outbound";
import { secretKeyFromEnv } from "@/lib/security/secrets";
import { DemoSource } from "./demo-source";
import { PrometheusSource } from "./prometheus-source";
import type { MetricsSource } from "./source";

const demo = new DemoSource();
const cache = new Map<string, { version: string; source: PrometheusSource }>();

export interface ClusterSource {
  source: MetricsSource | null;
  /** why there is no source, in words for the page */
  problem: string | null;
  /** whether reading it waits on the network (a Prometheus), which may be slow, or computes in-process (the demo) */
  remote: boolean;
}

/**
 * The metrics source behind one of the organization's clusters: the demo's simulation, or its
 * Prometheus with the stored (decrypted) credentials. Sources are kept per cluster until its
 * settings change, so their discovery cache serves consecutive page loads.
 */
export async function sourceForCluster(db: Db, q: { orgId: string; slug: string }): Promise<ClusterSource> {
  const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, q.orgId), eq(clusters.slug, q.slug))).limit(1);
  if (!row) return { source: null, problem: "cluster not found", remote: false };
  return sourceOfRow(row);
}

/** The metrics source behind each of the organization's clusters, by slug, from one read of their rows (as sourceForCluster, without a query per cluster). */
export async function sourcesForOrg(db: Db, q: { orgId: string }): Promise<Map<string, ClusterSource>> {
  return (await readOrgSources(db, q)).sources;
}

/**
 * sourcesForOrg, and a version of what the clusters' figures are computed with (their ids, prices,
 * currencies and settings): a cache keyed by it is computed again after any of them changes.
 */
export async function readOrgSources(db: Db, q: { orgId: string }): Promise<{ sources: Map<string, ClusterSource>; version: string }> {
  const rows = await db.select().from(clusters).where(eq(clusters.orgId, q.orgId));
  const version = rows
    .map((r) => `${r.id}:${r.pricePerGibMonth}:${r.currency}:${r.settingsUpdatedAt?.getTime() ?? 0}`)
    .sort()
    .join(",");
  return { sources: new Map(rows.map((row) => [row.slug, sourceOfRow(row)])), version };
}

function sourceOfRow(row: typeof clusters.$inferSelect): ClusterSource {
  if (row.metricsKind === "demo") return { source: demo, problem: null, remote: false };
  if (!row.prometheusUrl) return { source: null, problem: "No Prometheus is configured for this cluster yet: add its endpoint in the cluster settings.", remote: true };
  const version = `${row.settingsUpdatedAt?.getTime() ?? 0}:${row.prometheusUrl}`;
  const hit = cache.get(row.id);
  if (hit && hit.version === version) return { source: hit.source, problem: null, remote: true };
  try {
    const opts = sourceOptions(row, secretKeyFromEnv());
    const source = new PrometheusSource({ ...opts!, policy: policyFromEnv(), timeoutMs: 20_000 });
    cache.set(row.id, { version, source });
    return { source, problem: null, remote: true };
  } catch (e) {
    return { source: null, problem: `The cluster's Prometheus settings cannot be used: ${(e as Error).message}`, remote: true };
  }
}
