import "server-only";
import { and, arrayContains, arrayOverlaps, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { orgSso, organizations } from "@/db/schema";
import { ssoSettingsSchema } from "@/lib/schemas/orgs";
import { checkUrl, policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { guardedGetJson, OutboundFetchError } from "@/lib/security/outbound-fetch";
import { decryptSecret, encryptSecret, secretKeyFromEnv } from "@/lib/security/secrets";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { writeAudit, type AuditActor } from "./audit";

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

const secretAad = (orgId: string) => `org:${orgId}:sso-client-secret`;

/** The provider's discovery document, read through the outbound guard; its endpoints are checked by the guard too. */
export async function discoverIssuer(issuer: string, policy: OutboundPolicy = policyFromEnv()): Promise<Discovery> {
  const base = issuer.replace(/\/+$/, "");
  let doc: unknown;
  try {
    doc = await guardedGetJson(`${base}/.well-known/openid-configuration`, policy);
  } catch (e) {
    throw new SettingsError("issuer", `discovery failed: ${(e as Error).message}`);
  }
  const d = (doc ?? {}) as Record<string, unknown>;
  for (const k of ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"]) {
    if (typeof d[k] !== "string") throw new SettingsError("issuer", `discovery failed: the document has no ${k} (is this an OpenID Connect issuer?)`);
  }
  if ((d.issuer as string).replace(/\/+$/, "") !== base) throw new SettingsError("issuer", `discovery failed: the document names the issuer ${String(d.issuer).slice(0, 200)}, not ${base}`);
  const out: Discovery = {
    issuer: d.issuer as string,
    authorization_endpoint: d.authorization_endpoint as string,
    token_endpoint: d.token_endpoint as string,
    jwks_uri: d.jwks_uri as string,
    ...(typeof d.userinfo_endpoint === "string" ? { userinfo_endpoint: d.userinfo_endpoint } : {}),
  };
  for (const [k, v] of Object.entries(out)) {
    if (k === "issuer") continue;
    try {
      checkUrl(v, policy);
    } catch (e) {
      throw new SettingsError("issuer", `the provider's ${k} is refused: ${(e as Error).message}`);
    }
  }
  return out;
}

export interface SsoSettingsView {
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  domains: string[];
  defaultRole: string;
  enabled: boolean;
  testedAt: string | null;
}

/** The organization's SSO settings as the settings page shows them (never the secret), or null. */
export async function getSsoSettings(db: Db, q: { orgId: string }): Promise<SsoSettingsView | null> {
  const [r] = await db.select().from(orgSso).where(eq(orgSso.orgId, q.orgId));
  if (!r) return null;
  return { issuer: r.issuer, clientId: r.clientId, hasClientSecret: r.clientSecretEnc !== "", domains: r.domains, defaultRole: r.defaultRole, enabled: r.enabled, testedAt: r.testedAt?.toISOString() ?? null };
}

/**
 * Saves the settings after reading the issuer's discovery document. A new issuer, client id or
 * secret switches SSO off until a test sign-in succeeds again.
 */
export async function saveSsoSettings(db: Db, q: { orgId: string; input: unknown; actor: AuditActor; now: Date; policy?: OutboundPolicy }): Promise<SsoSettingsView> {
  const s = ssoSettingsSchema.parse(q.input);
  const [prev] = await db.select().from(orgSso).where(eq(orgSso.orgId, q.orgId));
  if (!prev && !s.clientSecret) throw new SettingsError("clientSecret", "the client secret the identity provider gave Headroom is required");
  const discovery = await discoverIssuer(s.issuer, q.policy);
  const clientSecretEnc = s.clientSecret ? encryptSecret(s.clientSecret, secretAad(q.orgId), secretKeyFromEnv()) : prev!.clientSecretEnc;
  const changed = !prev || prev.issuer !== s.issuer || prev.clientId !== s.clientId || !!s.clientSecret;
  const domains = [...new Set(s.domains)];
  // a domain another organization already signs in with would make "Continue with SSO" ambiguous
  const [taken] = await db
    .select({ slug: organizations.slug })
    .from(orgSso)
    .innerJoin(organizations, eq(organizations.id, orgSso.orgId))
    .where(and(ne(orgSso.orgId, q.orgId), arrayOverlaps(orgSso.domains, domains)))
    .limit(1);
  if (taken) throw new SettingsError("domains", "one of these domains is already claimed by another organization");
  const row = {
    orgId: q.orgId,
    issuer: s.issuer,
    clientId: s.clientId,
    clientSecretEnc,
    domains,
    defaultRole: s.defaultRole,
    discovery,
    enabled: changed ? false : prev!.enabled,
    testedAt: changed ? null : prev!.testedAt,
    updatedAt: q.now,
  };
  await db.transaction(async (tx) => {
    await tx.insert(orgSso).values(row).onConflictDoUpdate({ target: orgSso.orgId, set: row });
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: "sso.updated", targetType: "sso", data: { issuer: s.issuer, clientId: s.clientId, domains, defaultRole: s.defaultRole, secretChanged: !!s.clientSecret } });
  });
  return (await getSsoSettings(db, { orgId: q.orgId }))!;
}

/** Switches SSO on (only after a successful test sign-in of the current settings) or off. */
export async function setSsoEnabled(db: Db, q: { orgId: string; enabled: boolean; actor: AuditActor }): Promise<SsoSettingsView> {
  const cur = await getSsoSettings(db, { orgId: q.orgId });
  if (!cur) throw new SettingsError("enabled", "save the single sign-on settings first");
  if (q.enabled && !cur.testedAt) throw new SettingsError("enabled", "run a test sign-in with these settings before switching single sign-on on");
  await db.transaction(async (tx) => {
    await tx.update(orgSso).set({ enabled: q.enabled }).where(eq(orgSso.orgId, q.orgId));
    await writeAudit(tx, { orgId: q.orgId, actor: q.actor, action: q.enabled ? "sso.enabled" : "sso.disabled", targetType: "sso" });
  });
  return { ...cur, enabled: q.enabled };
}

export interface SsoProviderConfig {
  orgId: string;
  slug: string;
  name: string;
  discovery: Discovery;
  clientId: string;
  clientSecret: string;
  domains: string[];
  defaultRole: "viewer" | "member" | "admin";
  enabled: boolean;
}

/** Every organization's provider with its secret decrypted, for the sign-in routes (saved ones; `enabled` says if members may use it). */
export async function listSsoProviders(db: Db): Promise<SsoProviderConfig[]> {
  const rows = await db
    .select({ orgId: orgSso.orgId, slug: organizations.slug, name: organizations.name, discovery: orgSso.discovery, clientId: orgSso.clientId, enc: orgSso.clientSecretEnc, domains: orgSso.domains, defaultRole: orgSso.defaultRole, enabled: orgSso.enabled })
    .from(orgSso)
    .innerJoin(organizations, eq(organizations.id, orgSso.orgId));
  const key = rows.length ? secretKeyFromEnv() : null;
  return rows.map((r) => ({
    orgId: r.orgId,
    slug: r.slug,
    name: r.name,
    discovery: r.discovery as Discovery,
    clientId: r.clientId,
    clientSecret: decryptSecret(r.enc, secretAad(r.orgId), key!),
    domains: r.domains,
    defaultRole: (["viewer", "member", "admin"].includes(r.defaultRole) ? r.defaultRole : "member") as SsoProviderConfig["defaultRole"],
    enabled: r.enabled,
  }));
}

/** The organization "Continue with SSO" leads to for a work email (by domain) or an organization slug; null if none has SSO on. */
export async function findSsoOrg(db: Db, login: string): Promise<{ slug: string; name: string } | null> {
  const l = login.trim().toLowerCase();
  const at = l.lastIndexOf("@");
  const [row] = await db
    .select({ slug: organizations.slug, name: organizations.name })
    .from(orgSso)
    .innerJoin(organizations, eq(organizations.id, orgSso.orgId))
    .where(and(eq(orgSso.enabled, true), at >= 0 ? arrayContains(orgSso.domains, [l.slice(at + 1)]) : eq(organizations.slug, l)))
    .limit(1);
  return row ?? null;
}

export { OutboundFetchError };
