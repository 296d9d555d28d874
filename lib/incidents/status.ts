import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connect";
import { incidents, memberships, users } from "@/db/schema";
import { ConflictError } from "@/lib/clusters/errors";
import { NotFoundError } from "@/lib/http/errors";
import { isUuid } from "@/lib/http/ids";
import { writeAudit, type AuditActor } from "@/lib/orgs/audit";
import { MAX_SNOOZE_SECONDS, SNOOZE_PRESETS, updateIncidentSchema } from "@/lib/schemas/incidents";

/** The roles that can be assigned an incident: those who may act on it. */
export const ASSIGNABLE_ROLES = ["member", "admin", "owner"] as const;

const badField = (path: string, message: string, input: unknown) => new z.ZodError([{ code: "custom", path: [path], message, input }]);

export interface IncidentState {
  status: "open" | "acknowledged" | "resolved";
  resolution: string | null;
  assigneeUserId: string | null;
  snoozedUntil: string | null;
}

/**
 * Changes an incident of this organization, each change audited: acknowledge, resolve (resolution
 * "manual") or reopen; assign to a member who may act on incidents, or unassign; snooze for a preset
 * or until a time (at most 30 days; not a resolved incident), or end a snooze. Returns its new state.
 * A resolved incident whose container is killed again is reopened by the next sync or agent batch;
 * reopening by hand is refused while another incident of the same container is open.
 */
export async function updateIncident(db: Db, q: { orgId: string; incidentId: string; input: unknown; actor: AuditActor; now: Date }): Promise<IncidentState> {
  const input = updateIncidentSchema.parse(q.input);
  if (!isUuid(q.incidentId)) throw new NotFoundError("incident");
  return db.transaction(async (tx) => {
    const where = and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId));
    const [cur] = await tx.select().from(incidents).where(where).for("update");
    if (!cur) throw new NotFoundError("incident");
    const audit = (action: string, data: Record<string, unknown>) =>
      writeAudit(tx, { orgId: q.orgId, actor: q.actor, action, targetType: "incident", targetId: q.incidentId, data });
    let status = cur.status;
    const set: Partial<typeof incidents.$inferInsert> = {};

    if (input.status !== undefined && input.status !== cur.status) {
      status = input.status;
      set.status = status;
      set.acknowledgedAt = status === "acknowledged" ? q.now : status === "open" ? null : cur.acknowledgedAt;
      set.resolvedAt = status === "resolved" ? q.now : null;
      set.resolution = status === "resolved" ? "manual" : null;
      // a resolved incident is not snoozed; one reopened by hand is wanted now
      if (status === "resolved" || cur.status === "resolved") set.snoozedUntil = null;
      await audit(status === "resolved" ? "incident.resolved" : status === "acknowledged" ? "incident.acknowledged" : "incident.reopened", { from: cur.status, to: status });
    }

    if (input.assigneeUserId !== undefined && input.assigneeUserId !== cur.assigneeUserId) {
      if (input.assigneeUserId === null) {
        set.assigneeUserId = null;
        await audit("incident.unassigned", { from: cur.assigneeUserId });
      } else {
        const [m] = await tx
          .select({ role: memberships.role, name: users.name, email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.orgId, q.orgId), eq(memberships.userId, input.assigneeUserId)));
        if (!m) throw badField("assigneeUserId", "not a member of this organization", input.assigneeUserId);
        if (!(ASSIGNABLE_ROLES as readonly string[]).includes(m.role)) throw badField("assigneeUserId", "a viewer cannot act on incidents: make them a member first", input.assigneeUserId);
        set.assigneeUserId = input.assigneeUserId;
        await audit("incident.assigned", { from: cur.assigneeUserId, to: input.assigneeUserId, toName: m.name || m.email });
      }
    }

    if (input.snooze !== undefined || input.snoozeUntil !== undefined) {
      if (input.snooze === null) {
        if (cur.snoozedUntil && cur.snoozedUntil > q.now) {
          set.snoozedUntil = null;
          await audit("incident.unsnoozed", { was: cur.snoozedUntil.toISOString() });
        }
      } else {
        if (status === "resolved") throw new ConflictError("a resolved incident cannot be snoozed");
        const until = input.snooze ? new Date(q.now.getTime() + SNOOZE_PRESETS[input.snooze] * 1000) : new Date(input.snoozeUntil!);
        if (until <= q.now) throw badField("snoozeUntil", "a time in the future", input.snoozeUntil);
        if (until.getTime() - q.now.getTime() > MAX_SNOOZE_SECONDS * 1000) throw badField(input.snooze ? "snooze" : "snoozeUntil", "at most 30 days ahead: resolve it instead", input.snoozeUntil ?? input.snooze);
        set.snoozedUntil = until;
        await audit("incident.snoozed", { until: until.toISOString(), ...(input.snooze ? { for: input.snooze } : {}) });
      }
    }

    if (Object.keys(set).length > 0) {
      try {
        await tx.update(incidents).set(set).where(where);
      } catch (e) {
        // the one-unresolved-incident-per-container index
        if ((e as { cause?: { code?: string } }).cause?.code === "23505" || (e as { code?: string }).code === "23505") throw new ConflictError("this container already has an open incident");
        throw e;
      }
    }
    const [after] = await tx.select().from(incidents).where(where);
    return { status: after!.status, resolution: after!.resolution, assigneeUserId: after!.assigneeUserId, snoozedUntil: after!.snoozedUntil?.toISOString() ?? null };
  });
}

/** The org's members who can be assigned incidents (member and up), by name. */
export async function listAssignees(db: Db, q: { orgId: string }): Promise<{ userId: string; name: string; email: string }[]> {
  const rows = await db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, q.orgId), inArray(memberships.role, [...ASSIGNABLE_ROLES])));
  return rows.map((r) => ({ ...r, name: r.name || r.email })).sort((a, b) => a.name.localeCompare(b.name));
}
