import { and, eq, gt, max, ne, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { containers, incidents, oomEvents } from "@/db/schema";
import { memorySpecOf, parseMemorySpec, specChanged } from "./memory-spec";
import { writeSystemAudit } from "./system-audit";

/** A fix is verified after this long on the new spec without an OOMKill (the 7 days). */
export const FIX_VERIFY_SECONDS = 7 * 86_400;

export interface VerifyFixesResult {
  /** incidents whose container's request, limit or heap setting changed (a fix applied, or applied again after one that did not hold) */
  applied: number;
  /** incidents resolved as fix_verified */
  verified: number;
}

/**
 * Follows the fixes of unresolved incidents: a change of the container's request, limit or heap
 * setting since the incident opened is recorded as the fix (fix_applied_at, spec_after_fix); a fix
 * that then runs FIX_VERIFY_SECONDS without an OOMKill resolves the incident as "fix_verified". A kill
 * after the fix keeps the incident open (the fix did not hold); a further change is recorded as the
 * new fix, and a change back to the spec at opening is no fix at all. Audited as the system.
 */
export async function verifyFixes(db: Db, q: { now: Date; orgId?: string; clusterId?: string }): Promise<VerifyFixesResult> {
  const where: SQL[] = [ne(incidents.status, "resolved")];
  if (q.orgId) where.push(eq(incidents.orgId, q.orgId));
  if (q.clusterId) where.push(eq(incidents.clusterId, q.clusterId));
  const rows = await db
    .select({ incident: incidents, container: containers })
    .from(incidents)
    .leftJoin(containers, and(eq(containers.workloadId, incidents.workloadId), eq(containers.name, incidents.containerName), eq(containers.orgId, incidents.orgId)))
    .where(and(...where));
  const out: VerifyFixesResult = { applied: 0, verified: 0 };
  for (const { incident: i, container } of rows) {
    const current = memorySpecOf(container);
    if (!current) continue;
    const atOpen = parseMemorySpec(i.specAtOpen);
    const target = and(eq(incidents.id, i.id), eq(incidents.orgId, i.orgId), ne(incidents.status, "resolved"));
    const audit = (action: string, data: Record<string, unknown>) => writeSystemAudit(db, { orgId: i.orgId, action, incidentId: i.id, data });
    if (!atOpen) {
      // opened before its spec was known: the first spec seen is the one it opened with
      await db.update(incidents).set({ specAtOpen: current }).where(target);
      continue;
    }
    if (!i.fixAppliedAt) {
      if (!specChanged(atOpen, current)) continue;
      await db.update(incidents).set({ fixAppliedAt: q.now, specAfterFix: current }).where(target);
      await audit("incident.fix_applied", { before: atOpen, after: current });
      out.applied++;
      continue;
    }
    const afterFix = parseMemorySpec(i.specAfterFix) ?? current;
    if (!specChanged(atOpen, current)) {
      // changed back: whatever ran in between is not what ends this incident
      await db.update(incidents).set({ fixAppliedAt: null, specAfterFix: null }).where(target);
      await audit("incident.fix_reverted", { before: afterFix, after: current });
      continue;
    }
    if (specChanged(afterFix, current)) {
      // changed again: the clock starts over on the spec that runs now
      await db.update(incidents).set({ fixAppliedAt: q.now, specAfterFix: current }).where(target);
      await audit("incident.fix_applied", { before: afterFix, after: current });
      out.applied++;
      continue;
    }
    const [kill] = await db
      .select({ at: max(oomEvents.finishedAt) })
      .from(oomEvents)
      .where(and(
        eq(oomEvents.orgId, i.orgId), eq(oomEvents.workloadId, i.workloadId), eq(oomEvents.containerName, i.containerName),
        eq(oomEvents.reason, "OOMKilled"), gt(oomEvents.finishedAt, i.fixAppliedAt),
      ));
    if (kill?.at) continue; // the fix did not hold: the incident stays open
    if (q.now.getTime() - i.fixAppliedAt.getTime() < FIX_VERIFY_SECONDS * 1000) continue;
    await db.update(incidents).set({ status: "resolved", resolution: "fix_verified", resolvedAt: q.now, snoozedUntil: null }).where(target);
    await audit("incident.fix_verified", { before: atOpen, after: afterFix, fixAppliedAt: i.fixAppliedAt.toISOString() });
    out.verified++;
  }
  return out;
}
