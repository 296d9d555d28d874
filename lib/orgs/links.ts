import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { identities, invites, memberships, organizations, users } from "@/db/schema";
import { hashToken, isTokenShaped } from "@/lib/security/tokens";
import { writeAudit } from "./audit";

/** A setup or invite link that cannot be used; the message is safe to show. */
export class LinkError extends Error {}

const UNUSABLE = "This link cannot be used: it was already used, it expired, or it was revoked. Ask for a new one.";

export interface LinkPreview {
  kind: "setup" | "invite";
  email: string;
  role: string;
  orgName: string;
  orgSlug: string;
}

/** What an unused, unexpired link grants, or null (unknown, used, expired and revoked links alike). */
export async function previewLink(db: Db, q: { token: string; now: Date }): Promise<LinkPreview | null> {
  if (!isTokenShaped(q.token)) return null;
  const [row] = await db
    .select({ kind: invites.kind, email: invites.email, role: invites.role, orgName: organizations.name, orgSlug: organizations.slug })
    .from(invites)
    .innerJoin(organizations, eq(organizations.id, invites.orgId))
    .where(and(eq(invites.tokenHash, hashToken(q.token)), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, q.now)));
  return row ? { ...row, kind: row.kind === "setup" ? "setup" : "invite" } : null;
}

/**
 * Uses a link once: marks it used, adds its email's user to the organization with its role, and
 * returns the user to sign in. When `signedIn` is given (an invite opened while signed in), the link
 * must be for that user's email. An invite cannot sign in as a user who already signs in through an
 * identity provider: that user signs in first and opens the link again.
 */
export async function redeemLink(
  db: Db,
  q: { token: string; now: Date; ip: string | null; signedIn?: { userId: string; email: string } },
): Promise<{ userId: string; email: string; name: string; orgSlug: string; kind: "setup" | "invite" }> {
  if (!isTokenShaped(q.token)) throw new LinkError(UNUSABLE);
  return db.transaction(async (tx) => {
    const [link] = await tx
      .update(invites)
      .set({ usedAt: q.now })
      .where(and(eq(invites.tokenHash, hashToken(q.token)), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, q.now)))
      .returning({ id: invites.id, orgId: invites.orgId, email: invites.email, role: invites.role, kind: invites.kind });
    if (!link) throw new LinkError(UNUSABLE);
    if (q.signedIn && q.signedIn.email.toLowerCase() !== link.email) {
      throw new LinkError(`This invitation is for ${link.email}; you are signed in as ${q.signedIn.email}. Sign out and open the link again.`);
    }
    await tx.insert(users).values({ email: link.email, name: link.email.split("@")[0]! }).onConflictDoNothing();
    const [user] = await tx.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, link.email));
    if (!q.signedIn && link.kind === "invite") {
      const [known] = await tx.select({ n: sql<number>`1` }).from(identities).where(eq(identities.userId, user!.id)).limit(1);
      if (known) throw new LinkError(`${link.email} already signs in with single sign-on: sign in first, then open this link again.`);
    }
    await tx.insert(memberships).values({ orgId: link.orgId, userId: user!.id, role: link.role }).onConflictDoNothing();
    await tx.update(users).set({ lastOrgId: link.orgId }).where(eq(users.id, user!.id));
    const [o] = await tx.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, link.orgId));
    await writeAudit(tx, {
      orgId: link.orgId,
      actor: { userId: user!.id, ip: q.ip },
      action: link.kind === "setup" ? "setup_link.used" : "invite.accepted",
      targetType: "invite",
      targetId: link.id,
      data: { email: link.email, role: link.role },
    });
    return { userId: user!.id, email: user!.email, name: user!.name, orgSlug: o!.slug, kind: link.kind === "setup" ? "setup" : "invite" };
  });
}
