import "server-only";
import { and, asc, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { identities, invites, memberships, users } from "@/db/schema";
import { hasRole, type Role } from "@/lib/auth/roles";
import { ConflictError } from "@/lib/clusters/errors";
import { ForbiddenError, NotFoundError } from "@/lib/http/errors";
import { changeRoleSchema, inviteSchema } from "@/lib/schemas/orgs";
import { hashToken, newToken } from "@/lib/security/tokens";
import { writeAudit, type AuditActor } from "./audit";
import { isUuid } from "@/lib/http/ids";

export const INVITE_SECONDS = 7 * 86_400;

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
  sso: boolean;
}

export interface PendingInvite {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

/** The organization's members (owners first) and its pending, unexpired invitations. */
export async function listMembers(db: Db, q: { orgId: string; now: Date }): Promise<{ members: Member[]; invites: PendingInvite[] }> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
      sso: sql<boolean>`exists (select 1 from ${identities} where ${identities.userId} = ${users.id})`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, q.orgId))
    .orderBy(sql`array_position(array['owner','admin','member','viewer']::role[], ${memberships.role})`, asc(users.email));
  const pending = await db
    .select({ id: invites.id, email: invites.email, role: invites.role, expiresAt: invites.expiresAt, createdAt: invites.createdAt })
    .from(invites)
    .where(and(eq(invites.orgId, q.orgId), eq(invites.kind, "invite"), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, q.now)))
    .orderBy(desc(invites.createdAt));
  return {
    members: rows.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString() })),
    invites: pending.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() })),
  };
}

// admins manage viewers and members; only owners manage admins and owners
const mayManage = (actor: Role, role: Role) => (actor === "owner" ? true : hasRole(actor, "admin") && !hasRole(role, "admin"));

async function getMemberRole(db: Pick<Db, "select">, orgId: string, userId: string): Promise<Role> {
  const [m] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  if (!m) throw new NotFoundError("member");
  return m.role;
}

async function ownerCount(db: Pick<Db, "select">, orgId: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return r!.n;
}

/** Changes a member's role, within what the actor's role allows; the last owner stays an owner. */
export async function changeMemberRole(db: Db, q: { orgId: string; actorRole: Role; actor: AuditActor; userId: string; input: unknown }) {
  const { role } = changeRoleSchema.parse(q.input);
  await db.transaction(async (tx) => {
    const current = await getMemberRole(tx, q.orgId, q.userId);
    if (!mayManage(q.actorRole, current) || !mayManage(q.actorRole, role)) throw new ForbiddenError(`a${q.actorRole === "admin" ? "n admin" : " " + q.actorRole} cannot make this change: only owners manage admins and owners`);
    if (current === "owner" && role !== "owner" && (await ownerCount(tx, q.orgId)) <= 1) throw new ConflictError("the organization needs at least one owner: make someone else an owner first");
    await tx.update(memberships).set({ role }).where(and(eq(memberships.orgId, q.orgId), eq(memberships.userId, q.userId)));
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "member.role_changed", targetType: "user", targetId: q.userId, data: { from: current, to: role } });
  });
}

/** Removes a member (effective on their next request); the last owner cannot be removed. */
export async function removeMember(db: Db, q: { orgId: string; actorRole: Role; actor: AuditActor; userId: string }) {
  await db.transaction(async (tx) => {
    const current = await getMemberRole(tx, q.orgId, q.userId);
    if (!mayManage(q.actorRole, current)) throw new ForbiddenError("only owners remove admins and owners");
    if (current === "owner" && (await ownerCount(tx, q.orgId)) <= 1) throw new ConflictError("the organization's last owner cannot be removed");
    const [u] = await tx.select({ email: users.email }).from(users).where(eq(users.id, q.userId));
    await tx.delete(memberships).where(and(eq(memberships.orgId, q.orgId), eq(memberships.userId, q.userId)));
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "member.removed", targetType: "user", targetId: q.userId, data: { email: u?.email, role: current } });
  });
}

/** Creates an invitation (single use, 7 days) and returns its token, shown once. */
export async function createInvite(db: Db, q: { orgId: string; actorRole: Role; actor: AuditActor; input: unknown; now: Date }): Promise<{ id: string; token: string; expiresAt: Date; email: string; role: Role }> {
  const i = inviteSchema.parse(q.input);
  if (!mayManage(q.actorRole, i.role)) throw new ForbiddenError("only owners invite admins");
  const [already] = await db
    .select({ n: sql<number>`1` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, q.orgId), eq(users.email, i.email)));
  if (already) throw new ConflictError(`${i.email} is already a member`);
  const token = newToken();
  const expiresAt = new Date(q.now.getTime() + INVITE_SECONDS * 1000);
  return db.transaction(async (tx) => {
    // a new invitation replaces an older pending one for the same email
    await tx.update(invites).set({ revokedAt: q.now }).where(and(eq(invites.orgId, q.orgId), eq(invites.kind, "invite"), eq(invites.email, i.email), isNull(invites.usedAt), isNull(invites.revokedAt)));
    const [row] = await tx.insert(invites).values({ orgId: q.orgId, kind: "invite", email: i.email, role: i.role, tokenHash: hashToken(token), createdBy: q.actor.userId, expiresAt }).returning({ id: invites.id });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "invite.created", targetType: "invite", targetId: row!.id, data: { email: i.email, role: i.role } });
    return { id: row!.id, token, expiresAt, email: i.email, role: i.role };
  });
}

/** Revokes a pending invitation of this organization. */
export async function revokeInvite(db: Db, q: { orgId: string; actor: AuditActor; inviteId: string; now: Date }) {
  if (!isUuid(q.inviteId)) throw new NotFoundError("invitation");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ revokedAt: q.now })
      .where(and(eq(invites.id, q.inviteId), eq(invites.orgId, q.orgId), eq(invites.kind, "invite"), isNull(invites.usedAt), isNull(invites.revokedAt)))
      .returning({ email: invites.email });
    if (!row) throw new NotFoundError("invitation");
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "invite.revoked", targetType: "invite", targetId: q.inviteId, data: { email: row.email } });
  });
}
