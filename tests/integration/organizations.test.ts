import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZodError } from "zod";
import { createDb, type Db } from "@/db/connect";
import { auditLog, identities, invites, memberships, organizations, orgSso, users } from "@/db/schema";
import { ConflictError } from "@/lib/clusters/errors";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { ForbiddenError } from "@/lib/http/errors";
import { listAudit } from "@/lib/orgs/audit";
import { LinkError, previewLink, redeemLink } from "@/lib/orgs/links";
import { changeMemberRole, createInvite, removeMember } from "@/lib/orgs/members";
import { createOrganization } from "@/lib/orgs/organizations";
import { resolveSsoSignIn, SignInRefused } from "@/lib/orgs/sso-sign-in";
import { listSsoProviders, saveSsoSettings, setSsoEnabled, type SsoProviderConfig } from "@/lib/orgs/sso";
import { getHomeOrg, getPublicDemoVisitor, setLastOrg } from "@/lib/queries/organizations";
import { consumeRateLimit, RATE_LIMITS, RateLimitedError } from "@/lib/security/rate-limit";
import { hashToken } from "@/lib/security/tokens";
import { startIdp, type RunningIdp } from "../support/oidc-provider";

// Organizations through the product's own code on a real Postgres and a real OpenID Provider:
// setup and invite links, who an identity provider's answer signs in, roles, audit, rate limits.

let db: Db;
let idp: RunningIdp;
const NOW = new Date("2026-11-29T12:00:00Z");
const LOOPBACK = { allowLoopback: true, allowPrivate: false };
const actor = (userId: string | null) => ({ userId, ip: "203.0.113.5" });

beforeAll(async () => {
  process.env.HEADROOM_SECRET_KEY ??= Buffer.alloc(32, 7).toString("base64");
  db = createDb(inject("databaseUrl"), 3);
  idp = await startIdp({ redirectUri: "http://127.0.0.1:9/api/auth/callback/sso-hooli", accounts: {} });
});
afterAll(async () => {
  await idp?.stop();
  await db?.$client.end();
});

const userByEmail = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0];
const roleOf = async (orgId: string, userId: string) => (await db.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))))[0]?.role;

describe("an organization and its first owner", () => {
  it("creates the organization, an owner and a one-hour single-use setup link stored as its SHA-256", async () => {
    const r = await createOrganization(db, { slug: "hooli", name: "Hooli", owner: "Gavin@Hooli.example" }, NOW);
    expect(r.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.expiresAt.getTime() - NOW.getTime()).toBe(3600_000);
    const [link] = await db.select().from(invites).where(eq(invites.orgId, r.orgId));
    expect(link!.tokenHash).toBe(hashToken(r.token));
    expect(JSON.stringify(link)).not.toContain(r.token);
    const owner = await userByEmail("gavin@hooli.example");
    expect(await roleOf(r.orgId, owner!.id)).toBe("owner");
    expect((await previewLink(db, { token: r.token, now: NOW }))?.kind).toBe("setup");
    // an hour later it is gone, whatever happened in between
    expect(await previewLink(db, { token: r.token, now: new Date(NOW.getTime() + 3600_000) })).toBeNull();
    const signedIn = await redeemLink(db, { token: r.token, now: NOW, ip: null });
    expect(signedIn).toMatchObject({ email: "gavin@hooli.example", orgSlug: "hooli", kind: "setup" });
    await expect(redeemLink(db, { token: r.token, now: NOW, ip: null })).rejects.toThrow(LinkError);
  });

  it("refuses a taken slug, a reserved one and bad input with the field named", async () => {
    await expect(createOrganization(db, { slug: "hooli", name: "Again", owner: "a@b.example" }, NOW)).rejects.toThrow(ConflictError);
    for (const [input, path] of [
      [{ slug: "login", name: "x", owner: "a@b.example" }, "slug"],
      [{ slug: "Bad Slug", name: "x", owner: "a@b.example" }, "slug"],
      [{ slug: "ok-slug", name: " ", owner: "a@b.example" }, "name"],
      [{ slug: "ok-slug", name: "x", owner: "not-an-email" }, "owner"],
    ] as const) {
      const e = await createOrganization(db, input, NOW).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ZodError);
      expect((e as ZodError).issues[0]!.path).toEqual([path]);
    }
  });
});

describe("who an identity provider's answer signs in", () => {
  let hooli: SsoProviderConfig;
  let piedPiper: { orgId: string };

  beforeAll(async () => {
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "hooli"));
    const gavin = await userByEmail("gavin@hooli.example");
    await saveSsoSettings(db, { orgId: org!.id, input: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, domains: ["hooli.example"], defaultRole: "viewer" }, actor: actor(gavin!.id), now: NOW, policy: LOOPBACK });
    hooli = (await listSsoProviders(db)).find((p) => p.slug === "hooli")!;
    piedPiper = await createOrganization(db, { slug: "pied-piper", name: "Pied Piper", owner: "richard@piedpiper.example" }, NOW);
  });

  const signIn = (subject: string, email: string, verified: unknown = true, provider = hooli) =>
    resolveSsoSignIn(db, { provider, subject, email, emailVerified: verified, now: NOW, ip: "203.0.113.5" });
  const refusal = (p: Promise<unknown>) => p.then(() => "signed in", (e: unknown) => (e instanceof SignInRefused ? e.code : String(e)));

  it("stores the provider's discovery and an encrypted secret; a switch-on needs a test sign-in first", async () => {
    const [row] = await db.select().from(orgSso).where(eq(orgSso.orgId, hooli.orgId));
    expect(row!.discovery).toMatchObject({ issuer: idp.issuer, token_endpoint: expect.stringContaining(idp.issuer) });
    expect(row!.clientSecretEnc).not.toContain(idp.clientSecret);
    expect(hooli.clientSecret).toBe(idp.clientSecret);
    await expect(setSsoEnabled(db, { orgId: hooli.orgId, enabled: true, actor: actor(null) })).rejects.toThrow(SettingsError);
  });

  it("while SSO is off only owners and admins get in (the test sign-in), which marks it tested", async () => {
    expect(await refusal(signIn("new-person", "newbie@hooli.example"))).toBe("disabled");
    expect(await userByEmail("newbie@hooli.example")).toBeUndefined();
    const r = await signIn("gavin-sub", "gavin@hooli.example");
    expect(r).toEqual({ userId: (await userByEmail("gavin@hooli.example"))!.id, orgSlug: "hooli", tested: true });
    const [row] = await db.select().from(orgSso).where(eq(orgSso.orgId, hooli.orgId));
    expect(row!.testedAt).not.toBeNull();
    await setSsoEnabled(db, { orgId: hooli.orgId, enabled: true, actor: actor(null) });
    hooli = { ...hooli, enabled: true };
  });

  it("keys accounts on issuer and subject: the same subject with a changed email is the same user", async () => {
    const first = await signIn("dinesh-sub", "dinesh@hooli.example");
    expect(await roleOf(hooli.orgId, first.userId)).toBe("viewer");
    const again = await signIn("dinesh-sub", "dinesh.chugtai@hooli.example");
    expect(again.userId).toBe(first.userId);
    expect(await db.select().from(identities).where(eq(identities.userId, first.userId))).toHaveLength(1);
  });

  it("refuses an unverified email, an email outside the domains, and an email already signing in elsewhere", async () => {
    expect(await refusal(signIn("x1", "erlich@hooli.example", false))).toBe("unverified");
    expect(await refusal(signIn("x2", "erlich@hooli.example", "true"))).toBe("unverified");
    expect(await refusal(signIn("x3", "erlich@aviato.example"))).toBe("domain");
    expect(await userByEmail("erlich@aviato.example")).toBeUndefined();
    // Dinesh's account email, asserted for another subject (another account at the provider): never linked to his user
    expect(await refusal(signIn("impostor", "dinesh@hooli.example"))).toBe("linked");
  });

  it("never links an email to a user of another organization (an organization claiming someone else's domain cannot take them over)", async () => {
    // Richard owns Pied Piper and has not signed in with SSO yet; Hooli claims his domain
    const [row] = await db.select().from(orgSso).where(eq(orgSso.orgId, hooli.orgId));
    await db.update(orgSso).set({ domains: [...row!.domains, "piedpiper.example"] }).where(eq(orgSso.orgId, hooli.orgId));
    const claimed = { ...hooli, domains: [...hooli.domains, "piedpiper.example"] };
    expect(await refusal(signIn("richard-at-hooli", "richard@piedpiper.example", true, claimed))).toBe("account");
    expect(await db.select().from(identities).where(eq(identities.email, "richard@piedpiper.example"))).toHaveLength(0);
    const richard = await userByEmail("richard@piedpiper.example");
    expect(await roleOf(hooli.orgId, richard!.id)).toBeUndefined();
    expect(await roleOf(piedPiper.orgId, richard!.id)).toBe("owner");
    await db.update(orgSso).set({ domains: row!.domains }).where(eq(orgSso.orgId, hooli.orgId));
  });

  it("an invited email outside the domains joins with the invitation's role, and the invitation is used up", async () => {
    const gavin = await userByEmail("gavin@hooli.example");
    const inv = await createInvite(db, { orgId: hooli.orgId, actorRole: "owner", actor: actor(gavin!.id), input: { email: "jian@yang.example", role: "member" }, now: NOW });
    const r = await signIn("jian-sub", "jian@yang.example");
    expect(await roleOf(hooli.orgId, r.userId)).toBe("member");
    const [row] = await db.select().from(invites).where(eq(invites.id, inv.id));
    expect(row!.usedAt).not.toBeNull();
    const log = await listAudit(db, { orgId: hooli.orgId, action: "invite", limit: 10 });
    expect(log.entries.map((e) => e.action)).toEqual(["invite.accepted", "invite.created"]);
    expect(log.entries[0]!.ip).toBe("203.0.113.5");
  });
});

describe("invite links and roles", () => {
  it("an invite opened while signed in must be for that user's email, and is not used up when refused", async () => {
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "pied-piper"));
    const richard = await userByEmail("richard@piedpiper.example");
    const inv = await createInvite(db, { orgId: org!.id, actorRole: "owner", actor: actor(richard!.id), input: { email: "monica@raviga.example", role: "viewer" }, now: NOW });
    await expect(redeemLink(db, { token: inv.token, now: NOW, ip: null, signedIn: { userId: richard!.id, email: "richard@piedpiper.example" } })).rejects.toThrow(/for monica@raviga\.example/);
    expect((await previewLink(db, { token: inv.token, now: NOW }))?.email).toBe("monica@raviga.example");
    const joined = await redeemLink(db, { token: inv.token, now: NOW, ip: null });
    expect(await roleOf(org!.id, joined.userId)).toBe("viewer");
  });

  it("admins manage viewers and members only; the last owner stays; every change is audited", async () => {
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "pied-piper"));
    const richard = await userByEmail("richard@piedpiper.example");
    const monica = await userByEmail("monica@raviga.example");
    await expect(changeMemberRole(db, { orgId: org!.id, actorRole: "admin", actor: actor(null), userId: monica!.id, input: { role: "admin" } })).rejects.toThrow(ForbiddenError);
    await expect(changeMemberRole(db, { orgId: org!.id, actorRole: "admin", actor: actor(null), userId: richard!.id, input: { role: "member" } })).rejects.toThrow(ForbiddenError);
    await changeMemberRole(db, { orgId: org!.id, actorRole: "admin", actor: actor(null), userId: monica!.id, input: { role: "member" } });
    expect(await roleOf(org!.id, monica!.id)).toBe("member");
    await expect(changeMemberRole(db, { orgId: org!.id, actorRole: "owner", actor: actor(richard!.id), userId: richard!.id, input: { role: "admin" } })).rejects.toThrow(ConflictError);
    await expect(removeMember(db, { orgId: org!.id, actorRole: "owner", actor: actor(richard!.id), userId: richard!.id })).rejects.toThrow(ConflictError);
    await expect(createInvite(db, { orgId: org!.id, actorRole: "admin", actor: actor(null), input: { email: "x@y.example", role: "admin" }, now: NOW })).rejects.toThrow(ForbiddenError);
    await removeMember(db, { orgId: org!.id, actorRole: "owner", actor: actor(richard!.id), userId: monica!.id });
    expect(await roleOf(org!.id, monica!.id)).toBeUndefined();
    const actions = (await db.select().from(auditLog).where(eq(auditLog.orgId, org!.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["invite.created", "invite.accepted", "member.role_changed", "member.removed"]));
    const byRichard = await listAudit(db, { orgId: org!.id, actor: "richard@", limit: 50 });
    expect(byRichard.entries.every((e) => e.actor === "richard@piedpiper.example")).toBe(true);
  });
});

describe("the issuer is checked before it is saved", () => {
  it("refuses a provider the outbound guard refuses, one that is not an OpenID issuer, and a domain another organization claims", async () => {
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, "pied-piper"));
    const input = { issuer: idp.issuer, clientId: "c", clientSecret: "s", domains: ["piedpiper.example"], defaultRole: "member" };
    const guarded = await saveSsoSettings(db, { orgId: org!.id, input, actor: actor(null), now: NOW, policy: { allowLoopback: false, allowPrivate: false } }).catch((e: unknown) => e);
    expect(guarded).toBeInstanceOf(SettingsError);
    expect((guarded as SettingsError).path).toBe("issuer");
    expect((guarded as Error).message).toMatch(/loopback/);
    const notOidc = await saveSsoSettings(db, { orgId: org!.id, input: { ...input, issuer: `${idp.issuer}/nope` }, actor: actor(null), now: NOW, policy: LOOPBACK }).catch((e: unknown) => e);
    expect((notOidc as Error).message).toMatch(/discovery failed/);
    const taken = await saveSsoSettings(db, { orgId: org!.id, input: { ...input, domains: ["hooli.example"] }, actor: actor(null), now: NOW, policy: LOOPBACK }).catch((e: unknown) => e);
    expect((taken as SettingsError).path).toBe("domains");
    expect(await db.select().from(orgSso).where(eq(orgSso.orgId, org!.id))).toHaveLength(0);
  });
});

describe("rate limits", () => {
  it("are counted in Postgres, so two app replicas share one budget", async () => {
    const other = createDb(inject("databaseUrl"), 1);
    try {
      for (let i = 0; i < RATE_LIMITS.signin.points; i++) await consumeRateLimit(i % 2 ? db.$client : other.$client, "signin", "192.0.2.44");
      const e = await consumeRateLimit(other.$client, "signin", "192.0.2.44").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RateLimitedError);
      expect((e as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
      expect((e as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(60);
      await consumeRateLimit(db.$client, "signin", "192.0.2.45");
    } finally {
      await other.$client.end();
    }
  });
});

describe("the demo on the internet, and the organization / opens", () => {
  it("HEADROOM_PUBLIC_DEMO visitors are viewers of the demo organization, whatever their row said before", async () => {
    // the demo organization of this database (another suite may have seeded one first)
    await db.insert(organizations).values({ slug: "demo-public-test", name: "Demo", isDemo: true });
    const visitor = await getPublicDemoVisitor(db);
    expect(visitor).not.toBeNull();
    const [org] = await db.select().from(organizations).where(eq(organizations.slug, visitor!.orgSlug));
    expect(org!.isDemo).toBe(true);
    expect(await roleOf(org!.id, visitor!.userId)).toBe("viewer");
    await db.update(memberships).set({ role: "owner" }).where(eq(memberships.userId, visitor!.userId));
    const again = await getPublicDemoVisitor(db);
    expect(again!.userId).toBe(visitor!.userId);
    expect(await roleOf(org!.id, visitor!.userId)).toBe("viewer");
  });

  it("/ opens the organization the user last worked in, while they still belong to it", async () => {
    const richard = await userByEmail("richard@piedpiper.example");
    const [hooli] = await db.select().from(organizations).where(eq(organizations.slug, "hooli"));
    await db.insert(memberships).values({ orgId: hooli!.id, userId: richard!.id, role: "viewer" }).onConflictDoNothing();
    await setLastOrg(db, { userId: richard!.id, orgId: hooli!.id });
    expect(await getHomeOrg(db, { userId: richard!.id })).toBe("hooli");
    await db.delete(memberships).where(and(eq(memberships.orgId, hooli!.id), eq(memberships.userId, richard!.id)));
    expect(await getHomeOrg(db, { userId: richard!.id })).toBe("pied-piper");
  });
});
