import type { Db } from "@/db/connect";
import { auditLog } from "@/db/schema";

/**
 * Records what Headroom did to an incident by itself (a sync reopening it, a fix applied or
 * verified): the audit row writeAudit writes, with no actor. Not lib/orgs/audit.ts, which is
 * server-only, because syncs also run in the demo seed and scripts outside the server.
 */
export async function writeSystemAudit(db: Pick<Db, "insert">, e: { orgId: string; action: string; incidentId: string; data: Record<string, unknown> }) {
  await db.insert(auditLog).values({ orgId: e.orgId, actorUserId: null, ip: null, action: e.action, targetType: "incident", targetId: e.incidentId, data: e.data });
}

/** writeSystemAudit for several incidents in one statement. */
export async function writeSystemAudits(db: Pick<Db, "insert">, es: { orgId: string; action: string; incidentId: string; data: Record<string, unknown> }[]) {
  if (es.length === 0) return;
  await db.insert(auditLog).values(es.map((e) => ({ orgId: e.orgId, actorUserId: null, ip: null, action: e.action, targetType: "incident", targetId: e.incidentId, data: e.data })));
}
