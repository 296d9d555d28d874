import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { incidents } from "@/db/schema";
import { groupIntoIncidents, INCIDENT_QUIET_SECONDS } from "./incident-grouping";

export type IncidentStatus = (typeof incidents.$inferSelect)["status"];
/**
 * Brings a container's incidents in line with its OOMKills: kills grouped by 7-day quiet spans, one
 * open incident per workload container, the analysis snapshot shared by its incidents, and incidents
 * nobody saw die for a week resolved. Returns how many incidents it created.
 */
export async function syncIncidents(
  db: Db,
  q: {
    orgId: string; clusterId: string; workloadId: string; container: string; kills: number[]; now: number;
    analyze?: () => Promise<unknown>;
    /** status of a new incident (open spans are "open" unless told otherwise) */
    initialStatus?: (open: boolean) => IncidentStatus;
  },
): Promise<number> {
  const spans = groupIntoIncidents(q.kills, q.now);
  if (spans.length === 0) return 0;
  const existing = await db
    .select()
    .from(incidents)
    .where(and(eq(incidents.orgId, q.orgId), eq(incidents.workloadId, q.workloadId), eq(incidents.containerName, q.container)));
  let created = 0;
  // one analysis per container, shared by its incidents (the verdict is about the container)
  const analysis = q.analyze ? await q.analyze() : undefined;
  for (const span of spans) {
    const first = new Date(span.firstSeenAt * 1000);
    // the same incident when its kills would have been grouped together (within a quiet week), even
    // after the read window has dropped its first kills (a later sync) or it has grown since
    const match = existing.find(
      (e) =>
        (e.firstSeenAt.getTime() / 1000 <= span.lastSeenAt && span.firstSeenAt <= e.lastSeenAt.getTime() / 1000 + INCIDENT_QUIET_SECONDS) ||
        (e.status !== "resolved" && span.status !== "resolved"),
    );
    const open = span.status === "open";
    const status: IncidentStatus = q.initialStatus ? q.initialStatus(open) : open ? "open" : "resolved";
    // a window that starts after the incident did sees only part of it: count on from what was stored
    const truncated = match !== undefined && match.firstSeenAt.getTime() < first.getTime() - 1000;
    const lastStored = match ? match.lastSeenAt.getTime() / 1000 : 0;
    const oomCount = truncated ? match.oomCount + q.kills.filter((t) => t > lastStored && t >= span.firstSeenAt && t <= span.lastSeenAt).length : span.oomCount;
    const values = {
      status: match && match.status !== "resolved" && open ? match.status : status,
      oomCount,
      lastSeenAt: new Date(Math.max(span.lastSeenAt, lastStored) * 1000),
      resolvedAt: span.resolvedAt ? new Date(span.resolvedAt * 1000) : null,
      acknowledgedAt: status === "acknowledged" ? new Date((span.lastSeenAt - 600) * 1000) : null,
      ...(analysis !== undefined ? { analysis, analyzedAt: new Date(q.now * 1000), pattern: patternOf(analysis) } : {}),
    };
    if (match) {
      await db.update(incidents).set(values).where(and(eq(incidents.id, match.id), eq(incidents.orgId, q.orgId)));
    } else {
      await db.insert(incidents).values({
        orgId: q.orgId, clusterId: q.clusterId, workloadId: q.workloadId, containerName: q.container, firstSeenAt: first, ...values,
      });
      created++;
    }
  }
  // an incident open in an earlier run that no span keeps open any more is resolved
  await db
    .update(incidents)
    .set({ status: "resolved", resolvedAt: sql`coalesce(${incidents.resolvedAt}, now())` })
    .where(
      and(
        eq(incidents.orgId, q.orgId), eq(incidents.workloadId, q.workloadId), eq(incidents.containerName, q.container),
        ne(incidents.status, "resolved"), sql`${incidents.lastSeenAt} < ${new Date((q.now - 7 * 86_400) * 1000)}`,
      ),
    );
  return created;
}

const patternOf = (a: unknown) =>
  a && typeof a === "object" && "pattern" in a && typeof (a as { pattern: unknown }).pattern === "string" ? (a as { pattern: string }).pattern : null;
