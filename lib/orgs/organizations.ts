import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { invites, memberships, organizations, users } from "@/db/schema";
import { createOrgSchema } from "@/lib/schemas/orgs";
import { hashToken, newToken } from "@/lib/security/tokens";
import { ConflictError } from "@/lib/clusters/errors";

export const SETUP_LINK_SECONDS = 3600;

/**
 * Creates an organization, its first owner (by email) and a one-time setup link that signs the owner
 * in (1 hour, single use, only its SHA-256 stored). Returns the raw token, shown once.
 */
export async function createOrganization(db: Db, input: unknown, now: Date): Promise<{ orgId: string; slug: string; token: string; expiresAt: Date }> {
  const o = createOrgSchema.parse(input);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SETUP_LINK_SECONDS * 1000);
  const orgId = await db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ slug: o.slug, name: o.name }).onConflictDoNothing().returning({ id: organizations.id });
    if (!org) throw new ConflictError(`an organization with the slug "${o.slug}" already exists`);
    await tx.insert(users).values({ email: o.owner, name: o.owner.split("@")[0]! }).onConflictDoNothing();
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, o.owner));
    await tx.insert(memberships).values({ orgId: org.id, userId: user!.id, role: "owner" });
    await tx.insert(invites).values({ orgId: org.id, kind: "setup", email: o.owner, role: "owner", tokenHash: hashToken(token), expiresAt });
    return org.id;
  });
  return { orgId, slug: o.slug, token, expiresAt };
}

/** A new setup link for an existing organization's first owner (the first one expired or was lost). */
export async function newSetupLink(db: Db, q: { slug: string; now: Date }): Promise<{ token: string; expiresAt: Date; email: string }> {
  const [owner] = await db
    .select({ orgId: organizations.id, email: users.email })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.role, "owner")))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(organizations.slug, q.slug))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  if (!owner) throw new ConflictError(`no organization "${q.slug}" with an owner`);
  const token = newToken();
  const expiresAt = new Date(q.now.getTime() + SETUP_LINK_SECONDS * 1000);
  await db.insert(invites).values({ orgId: owner.orgId, kind: "setup", email: owner.email, role: "owner", tokenHash: hashToken(token), expiresAt });
  return { token, expiresAt, email: owner.email };
}
