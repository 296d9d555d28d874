import "server-only";
import { and, asc, eq } from "drizzle-orm";
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
