import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { sessions, users } from "@/db/schema";
import { isUuid } from "@/lib/http/ids";

export const SESSION_SECONDS = 8 * 3600;

/** Records a sign-in and returns its id, which the session cookie carries. */
export async function createSession(db: Db, s: { userId: string; method: string; ip: string | null; now: Date }): Promise<string> {
  const [row] = await db
    .insert(sessions)
    .values({ userId: s.userId, method: s.method, ip: s.ip, createdAt: s.now, expiresAt: new Date(s.now.getTime() + SESSION_SECONDS * 1000) })
    .returning({ id: sessions.id });
  return row!.id;
}

/** The user of a session that is neither revoked nor expired, or null: checked on every request. */
export async function getLiveSessionUser(db: Db, q: { sessionId: string; now: Date }): Promise<{ id: string; email: string; name: string } | null> {
  if (!isUuid(q.sessionId)) return null;
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, q.sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, q.now)))
    .limit(1);
  return row ?? null;
}

/** Ends one session (sign-out). */
export async function revokeSession(db: Db, q: { sessionId: string; now: Date }) {
  if (!isUuid(q.sessionId)) return;
  await db.update(sessions).set({ revokedAt: q.now }).where(and(eq(sessions.id, q.sessionId), isNull(sessions.revokedAt)));
}

/** Ends every session of a user (removed from their last organization, or signed out everywhere). */
export async function revokeUserSessions(db: Db, q: { userId: string; now: Date }) {
  await db.update(sessions).set({ revokedAt: q.now }).where(and(eq(sessions.userId, q.userId), isNull(sessions.revokedAt)));
}
