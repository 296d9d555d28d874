import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { memberships, organizations, users } from "@/db/schema";
import type { Role } from "@/lib/auth/roles";

export interface OrgMembership {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

/** The organization with this slug if the user belongs to it, with the user's role; else null. */
export async function getOrgMembership(db: Db, q: { slug: string; userId: string }): Promise<OrgMembership | null> {
  const [row] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .where(and(eq(organizations.slug, q.slug), eq(memberships.userId, q.userId)))
    .limit(1);
  return row ?? null;
}

/** The organizations the user belongs to, by name. */
export async function listUserOrgs(db: Db, q: { userId: string }): Promise<OrgMembership[]> {
  return db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .where(eq(memberships.userId, q.userId))
    .orderBy(asc(organizations.name));
}

/** The demo organization's sign-in user, or null when no demo organization exists. */
export async function getDemoLogin(db: Db): Promise<{ userId: string; email: string; name: string; orgSlug: string } | null> {
  const [row] = await db
    .select({ userId: users.id, email: users.email, name: users.name, orgSlug: organizations.slug })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.role, "owner")))
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(organizations.isDemo, true))
    .limit(1);
  return row ?? null;
}

const VISITOR_EMAIL = "visitor@demo.headroom.invalid";

/** The public demo's visitor: a viewer of the demo organization (created on first use), or null without a demo. */
export async function getPublicDemoVisitor(db: Db): Promise<{ userId: string; email: string; name: string; orgSlug: string } | null> {
  const [org] = await db.select({ id: organizations.id, slug: organizations.slug }).from(organizations).where(eq(organizations.isDemo, true)).limit(1);
  if (!org) return null;
  await db.insert(users).values({ email: VISITOR_EMAIL, name: "Demo visitor" }).onConflictDoNothing();
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, VISITOR_EMAIL));
  // a visitor is a viewer, whatever the row said before (an operator may switch a private demo to public)
  await db.insert(memberships).values({ orgId: org.id, userId: user!.id, role: "viewer" }).onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role: "viewer" } });
  return { userId: user!.id, email: user!.email, name: user!.name, orgSlug: org.slug };
}

/** The organization `/` opens: the user's last one if still a member, else the first by name; null without any. */
export async function getHomeOrg(db: Db, q: { userId: string }): Promise<string | null> {
  const orgs = await listUserOrgs(db, q);
  const [u] = await db.select({ lastOrgId: users.lastOrgId }).from(users).where(eq(users.id, q.userId));
  return (orgs.find((o) => o.id === u?.lastOrgId) ?? orgs[0])?.slug ?? null;
}

/** Remembers the organization the user is working in, for `/`. */
export async function setLastOrg(db: Db, q: { userId: string; orgId: string }) {
  await db.update(users).set({ lastOrgId: q.orgId }).where(and(eq(users.id, q.userId), sql`${users.lastOrgId} is distinct from ${q.orgId}`));
}
