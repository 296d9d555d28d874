import { and, eq, ne, or, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { containers, incidents } from "@/db/schema";
import { memorySpecOf } from "@/lib/incidents/memory-spec";
import { writeSystemAudit } from "@/lib/incidents/system-audit";
import { groupIntoIncidents, INCIDENT_QUIET_SECONDS } from "./incident-grouping";

export type IncidentStatus = (typeof incidents.$inferSelect)["status"];

/**
 * Brings a container's incidents in line with its OOMKills: kills grouped by 7-day quiet spans, one
 * open incident per workload container, the analysis snapshot shared by its incidents, and incidents
 * nobody saw die for a week resolved. A new incident keeps the analysis and the memory spec of its
 * opening and links to the container's previous incident. What people decided stands: a resolved
 * incident stays resolved until a kill after its resolution, and an incident whose fix is being
 * verified is left to verifyFixes. Returns how many incidents it created.
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
  const [containerRow] = await db
    .select()
    .from(containers)
    .where(and(eq(containers.orgId, q.orgId), eq(containers.workloadId, q.workloadId), eq(containers.name, q.container)));
  const spec = memorySpecOf(containerRow);
  let created = 0;
  // one analysis per container, shared by its incidents (the verdict is about the container)
  const analysis = q.analyze ? await q.analyze() : undefined;
  const killedAfter = (at: Date | null, span: { firstSeenAt: number; lastSeenAt: number }) =>
    at !== null && q.kills.some((t) => t > at.getTime() / 1000 && t >= span.firstSeenAt && t <= span.lastSeenAt);
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
    const counts = {
      oomCount,
      lastSeenAt: new Date(Math.max(span.lastSeenAt, lastStored) * 1000),
      ...(analysis !== undefined ? { analysis, analyzedAt: new Date(q.now * 1000), pattern: patternOf(analysis) } : {}),
    };
    const decided = match?.status === "resolved" && (match.resolution === "manual" || match.resolution === "fix_verified");
    if (match && decided && !killedAfter(match.resolvedAt, span)) {
      // resolved by a person (or a verified fix) and not killed since: it stays resolved
      await db.update(incidents).set(counts).where(and(eq(incidents.id, match.id), eq(incidents.orgId, q.orgId)));
      continue;
    }
    if (match && match.status !== "resolved" && match.fixAppliedAt && !killedAfter(match.fixAppliedAt, span)) {
      // a fix is being verified: verifyFixes resolves it after a quiet week on the new spec
      await db.update(incidents).set({ ...counts, specAtOpen: match.specAtOpen ?? spec }).where(and(eq(incidents.id, match.id), eq(incidents.orgId, q.orgId)));
      continue;
    }
    const next: IncidentStatus = match && match.status !== "resolved" && open ? match.status : status;
    const values = {
      ...counts,
      status: next,
      resolvedAt: span.resolvedAt ? new Date(span.resolvedAt * 1000) : null,
      resolution: next === "resolved" ? "quiet" : null,
      // an acknowledgement stands as it was made; a new incident acknowledged by the demo is dated just after its last kill
      acknowledgedAt: match && match.status === next ? match.acknowledgedAt : next === "acknowledged" ? new Date((span.lastSeenAt - 600) * 1000) : null,
    };
    if (match) {
      await db
        .update(incidents)
        .set({ ...values, ...(next !== "resolved" && !match.specAtOpen && spec ? { specAtOpen: spec } : {}) })
        .where(and(eq(incidents.id, match.id), eq(incidents.orgId, q.orgId)));
      if (decided) {
        await writeSystemAudit(db, { orgId: q.orgId, action: "incident.reopened", incidentId: match.id, data: { from: "resolved", to: next, reason: "OOMKilled again" } });
      }
    } else {
      // the latest earlier incident of this container, if it repeats one
      const previous = existing.filter((e) => e.firstSeenAt.getTime() < first.getTime()).sort((a, b) => b.firstSeenAt.getTime() - a.firstSeenAt.getTime())[0];
      const [row] = await db
        .insert(incidents)
        .values({
          orgId: q.orgId, clusterId: q.clusterId, workloadId: q.workloadId, containerName: q.container, firstSeenAt: first, ...values,
          firstAnalysis: analysis ?? null, specAtOpen: spec, previousIncidentId: previous?.id ?? null,
        })
        .returning();
      existing.push(row!);
      created++;
    }
  }
  // an incident open in an earlier run that no span keeps open any more is resolved, unless its fix is being verified
  await db
    .update(incidents)
    .set({ status: "resolved", resolution: "quiet", resolvedAt: sql`coalesce(${incidents.resolvedAt}, now())` })
    .where(
      and(
        eq(incidents.orgId, q.orgId), eq(incidents.workloadId, q.workloadId), eq(incidents.containerName, q.container),
        ne(incidents.status, "resolved"), sql`${incidents.lastSeenAt} < ${new Date((q.now - 7 * 86_400) * 1000)}`,
        or(isNull(incidents.fixAppliedAt), sql`${incidents.lastSeenAt} > ${incidents.fixAppliedAt}`),
      ),
    );
  return created;
}

const patternOf = (a: unknown) =>
  a && typeof a === "object" && "pattern" in a && typeof (a as { pattern: unknown }).pattern === "string" ? (a as { pattern: string }).pattern : null;
