import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { identities, invites, memberships, orgSso, users } from "@/db/schema";
import { writeAudit } from "./audit";
import type { SsoProviderConfig } from "./sso";

/** A sign-in that must not give a session; `code` goes into the sign-in page's URL, which says why in words. */
export class SignInRefused extends Error {
  constructor(readonly code: "unverified" | "domain" | "linked" | "account" | "disabled" | "not-admin") {
    super(code);
  }
}

/**
 * Who an identity provider's answer signs in. Accounts are keyed on (issuer, subject); an email
 * only links to an account that never signed in with a provider and already belongs to this
 * organization. The email must be verified and in the organization's domains (or invited).
 * While SSO is off, only the organization's owners and admins can sign in (the test sign-in).
 */
export async function resolveSsoSignIn(
  db: Db,
  q: { provider: SsoProviderConfig; subject: string; email: string | undefined; emailVerified: unknown; now: Date; ip: string | null },
): Promise<{ userId: string; orgSlug: string; tested: boolean }> {
  const p = q.provider;
  if (!q.email || q.emailVerified !== true) throw new SignInRefused("unverified");
  const email = q.email.trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const issuer = p.discovery.issuer;
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .select({ id: invites.id, role: invites.role })
      .from(invites)
      .where(and(eq(invites.orgId, p.orgId), eq(invites.kind, "invite"), eq(invites.email, email), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, q.now)))
      .limit(1);
    let userId: string;
    const [identity] = await tx.select({ userId: identities.userId }).from(identities).where(and(eq(identities.issuer, issuer), eq(identities.subject, q.subject)));
    if (identity) {
      userId = identity.userId;
    } else {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (existing) {
        const [other] = await tx.select({ issuer: identities.issuer }).from(identities).where(eq(identities.userId, existing.id)).limit(1);
        if (other) throw new SignInRefused("linked");
        const [member] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, existing.id)));
        if (!member && !invite) throw new SignInRefused("account");
        userId = existing.id;
      } else {
        const [created] = await tx.insert(users).values({ email, name: email.split("@")[0]! }).returning({ id: users.id });
        userId = created!.id;
      }
      await tx.insert(identities).values({ userId, issuer, subject: q.subject, email });
    }
    const [member] = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, p.orgId), eq(memberships.userId, userId)));
    if (!member && !invite && !p.domains.includes(domain)) throw new SignInRefused("domain");
    if (!p.enabled && !(member && (member.role === "owner" || member.role === "admin"))) throw new SignInRefused(member ? "not-admin" : "disabled");
    if (!member) {
      const role = invite?.role ?? p.defaultRole;
      await tx.insert(memberships).values({ orgId: p.orgId, userId, role });
      if (invite) await tx.update(invites).set({ usedAt: q.now }).where(eq(invites.id, invite.id));
      await writeAudit(tx, { orgId: p.orgId, actor: { userId, ip: q.ip }, action: invite ? "invite.accepted" : "member.joined", targetType: "user", targetId: userId, data: { email, role, via: "sso" } });
    }
    await tx.update(identities).set({ lastSignInAt: q.now, email }).where(and(eq(identities.issuer, issuer), eq(identities.subject, q.subject)));
    await tx.update(users).set({ lastOrgId: p.orgId }).where(eq(users.id, userId));
    if (!p.enabled) {
      await tx.update(orgSso).set({ testedAt: q.now }).where(eq(orgSso.orgId, p.orgId));
      await writeAudit(tx, { orgId: p.orgId, actor: { userId, ip: q.ip }, action: "sso.tested", targetType: "sso", data: { email } });
    }
    return { userId, orgSlug: p.slug, tested: !p.enabled };
  });
}
