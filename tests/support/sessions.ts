import { encode } from "next-auth/jwt";
import type { Db } from "@/db/connect";
import { sessions } from "@/db/schema";

/** The same secret the e2e app signs its sessions with (tests/e2e/global-setup.ts). */
export const E2E_SECRET = "e2e-secret-not-for-production";

/** A session cookie for `userId` as next-auth sets it after a sign-in: a live server-side session and a signed JWT carrying its id. */
export async function sessionCookie(db: Db, userId: string, secret = E2E_SECRET): Promise<{ cookie: string; sessionId: string }> {
  const [row] = await db.insert(sessions).values({ userId, method: "test", expiresAt: new Date(Date.now() + 8 * 3600_000) }).returning({ id: sessions.id });
  const token = await encode({ token: { uid: userId, sub: userId, sid: row!.id }, secret });
  return { cookie: `next-auth.session-token=${token}`, sessionId: row!.id };
}

/** A session cookie for a user (created if new) with `role` in the organization `slug`, for e2e specs that act as that person. */
export async function memberCookie(databaseUrl: string, q: { slug: string; email: string; name: string; role: "viewer" | "member" | "admin" | "owner" }): Promise<string> {
  const { createDb } = await import("@/db/connect");
  const { eq } = await import("drizzle-orm");
  const { memberships, organizations, users } = await import("@/db/schema");
  const db = createDb(databaseUrl, 1);
  try {
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, q.slug));
    const [u] = await db.insert(users).values({ email: q.email, name: q.name }).onConflictDoUpdate({ target: users.email, set: { name: q.name } }).returning();
    await db.insert(memberships).values({ orgId: org!.id, userId: u!.id, role: q.role }).onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role: q.role } });
    return (await sessionCookie(db, u!.id)).cookie;
  } finally {
    await db.$client.end();
  }
}
