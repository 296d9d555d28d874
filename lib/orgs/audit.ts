import "server-only";
import { and, desc, eq, ilike, lt, type SQL } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { auditLog, users } from "@/db/schema";

export interface AuditActor {
  userId: string | null;
  ip: string | null;
}

/** Records one change: who, what, on what, from where; `data` never holds a secret. */
export async function writeAudit(db: Pick<Db, "insert">, e: { orgId: string; actor: AuditActor; action: string; targetType?: string; targetId?: string; data?: Record<string, unknown> }) {
  await db.insert(auditLog).values({
    orgId: e.orgId,
    actorUserId: e.actor.userId,
    ip: e.actor.ip,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    data: e.data ?? null,
  });
}

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  actor: string | null;
  ip: string | null;
  targetType: string | null;
  targetId: string | null;
  data: unknown;
}

/** The organization's audit log, newest first, filtered by action prefix and actor email; keyset-paged by id. */
export async function listAudit(db: Db, q: { orgId: string; action?: string; actor?: string; before?: number; limit: number }): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
  const where: SQL[] = [eq(auditLog.orgId, q.orgId)];
  if (q.action) where.push(ilike(auditLog.action, `${q.action.replace(/[%_\\]/g, "\\$&")}%`));
  if (q.actor) where.push(ilike(users.email, `%${q.actor.replace(/[%_\\]/g, "\\$&")}%`));
  if (q.before) where.push(lt(auditLog.id, q.before));
  const rows = await db
    .select({ id: auditLog.id, at: auditLog.createdAt, action: auditLog.action, actor: users.email, ip: auditLog.ip, targetType: auditLog.targetType, targetId: auditLog.targetId, data: auditLog.data })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const entries = rows.slice(0, q.limit).map((r) => ({ ...r, at: r.at.toISOString() }));
  return { entries, nextBefore: rows.length > q.limit ? entries[entries.length - 1]!.id : null };
}
