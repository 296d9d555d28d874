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
