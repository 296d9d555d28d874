import "server-only";
import { getServerSession } from "next-auth";
import { getDb } from "@/db/client";
import { authOptions } from "./options";
import { getLiveSessionUser } from "./sessions";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

/**
 * The signed-in user, or null. The cookie alone is not enough: its server-side session must still be
 * live (not signed out, not revoked when the user was removed), so those take effect on the next request.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const sid = session?.sid;
  if (!sid) return null;
  return getLiveSessionUser(getDb(), { sessionId: sid, now: new Date() });
}
