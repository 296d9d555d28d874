import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connect";
import { incidents } from "@/db/schema";
import { ConflictError } from "@/lib/clusters/errors";
import { NotFoundError } from "@/lib/http/errors";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { isUuid } from "@/lib/http/ids";

export const setIncidentStatusSchema = z.object({ status: z.enum(["open", "acknowledged", "resolved"]) });


/**
 * Acknowledges, resolves or reopens an incident of this organization, audited. A resolved incident
 * whose container is killed again is reopened by the next sync or agent batch; reopening by hand is
 * refused while another incident of the same container is open.
 */
export async function setIncidentStatus(db: Db, q: { orgId: string; incidentId: string; input: unknown; actor: AuditActor; now: Date }) {
  const { status } = setIncidentStatusSchema.parse(q.input);
  if (!isUuid(q.incidentId)) throw new NotFoundError("incident");
  return db.transaction(async (tx) => {
    const [cur] = await tx.select({ status: incidents.status }).from(incidents).where(and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId)));
    if (!cur) throw new NotFoundError("incident");
    if (cur.status === status) return { status };
    try {
      await tx
        .update(incidents)
        .set({
          status,
          acknowledgedAt: status === "acknowledged" ? q.now : status === "open" ? null : undefined,
          resolvedAt: status === "resolved" ? q.now : null,
        })
        .where(and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId)));
    } catch (e) {
      // the one-unresolved-incident-per-container index
      if ((e as { cause?: { code?: string } }).cause?.code === "23505" || (e as { code?: string }).code === "23505") throw new ConflictError("this container already has an open incident");
      throw e;
    }
    const action = status === "resolved" ? "incident.resolved" : status === "acknowledged" ? "incident.acknowledged" : "incident.reopened";
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action, targetType: "incident", targetId: q.incidentId, data: { from: cur.status, to: status } });
    return { status };
  });
}
