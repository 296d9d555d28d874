import "server-only";
import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { nodes, oomEvents } from "@/db/schema";
import { isoTime } from "./sql";

export interface NodeRow {
  name: string;
  instanceType: string | null;
  allocatableMemoryBytes: number | null;
  capacityMemoryBytes: number | null;
  memoryPressure: boolean;
  /** the kernel's OOM killer on this node in the last 30 days (SystemOOM events) */
  systemOoms30d: number;
  /** pods evicted from this node in the last 30 days */
  evictions30d: number;
  updatedAt: string;
}

/**
 * A cluster's nodes as the Kubernetes API last showed them — under memory pressure first, then those
 * with node-level kills — with their SystemOOMs and evictions of 30 days (one grouped read of the
 * cluster's events in that window, not one per node).
 */
export async function listNodes(db: Db, q: { orgId: string; clusterId: string; now: Date; limit?: number }): Promise<NodeRow[]> {
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const [rows, counts] = await Promise.all([
    db
      .select({
        name: nodes.name, instanceType: nodes.instanceType, allocatableMemoryBytes: nodes.allocatableMemoryBytes, capacityMemoryBytes: nodes.capacityMemoryBytes,
        memoryPressure: nodes.memoryPressure, updatedAt: isoTime(nodes.updatedAt),
      })
      .from(nodes)
      .where(and(eq(nodes.orgId, q.orgId), eq(nodes.clusterId, q.clusterId)))
      .orderBy(asc(nodes.name)),
    db
      .select({ node: oomEvents.node, reason: oomEvents.reason, n: sql<number>`count(*)::int` })
      .from(oomEvents)
      .where(and(eq(oomEvents.orgId, q.orgId), eq(oomEvents.clusterId, q.clusterId), gte(oomEvents.finishedAt, since), inArray(oomEvents.reason, ["SystemOOM", "Evicted"])))
      .groupBy(oomEvents.node, oomEvents.reason),
  ]);
  const byNode = new Map(counts.map((c) => [`${c.node}|${c.reason}`, c.n]));
  const count = (node: string, reason: string) => byNode.get(`${node}|${reason}`) ?? 0;
  return rows
    .map((r) => ({ ...r, systemOoms30d: count(r.name, "SystemOOM"), evictions30d: count(r.name, "Evicted") }))
    .sort((a, b) => Number(b.memoryPressure) - Number(a.memoryPressure) || b.systemOoms30d + b.evictions30d - (a.systemOoms30d + a.evictions30d) || a.name.localeCompare(b.name))
    .slice(0, q.limit ?? 200);
}
