import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { clusters, memberships, organizations, users } from "@/db/schema";
import { ConflictError } from "@/lib/clusters/errors";
import { createCluster, getSettings, saveSettings, syncNow, testSettings } from "@/lib/clusters/manage";
import { SettingsError, type PrometheusSettingsInput } from "@/lib/clusters/prometheus-settings";
import { responseForError } from "@/lib/http/errors";
import { PrometheusError } from "@/lib/metrics/prometheus-client";
import { SecretKeyError } from "@/lib/security/secrets";
import { DEMO_FLEET, type FleetCluster } from "@/lib/scenarios/demo-fleet";
import { expectedAuthorization, startAuthProxy, type AuthProxy, type ProxyCredential } from "../support/auth-proxy";
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from "../support/prometheus";

// Secrets end to end: a real Prometheus behind a proxy that demands a credential, a cluster whose
// settings are stored through the app's own code (credentials encrypted with HEADROOM_SECRET_KEY),
// then the connection test and the sync through what is stored. What the proxy saw on the wire
// proves the stored secret was decrypted and sent.

const STEP = 300;
const NOW = Math.floor(Date.now() / 1000 / STEP) * STEP;
const START = NOW - 3 * 86_400;
const staging = DEMO_FLEET.find((c) => c.slug === "staging")!;
// a leaking API (it is OOMKilled) and a healthy web front end
const FLEET: FleetCluster = { ...staging, workloads: staging.workloads.filter((w) => ["payments-api", "checkout-web"].includes(w.name)) };

const TOKEN = `prom-token-${crypto.randomBytes(8).toString("hex")}`;
const USERNAME = "headroom";
const PASSWORD = `pw-${crypto.randomBytes(8).toString("hex")}`;
const BEARER: ProxyCredential = { bearer: TOKEN };
const BASIC: ProxyCredential = { basic: { username: USERNAME, password: PASSWORD } };
const newKey = () => crypto.randomBytes(32).toString("base64");

const missing = prometheusAvailable();
if (missing && process.env.CI) throw new Error(`CI needs Prometheus: ${missing}`);

describe.skipIf(missing !== null)("stored Prometheus credentials reach a Prometheus behind an auth proxy", () => {
  let prom: RunningPrometheus;
  let bearerProxy: AuthProxy;
  let basicProxy: AuthProxy;
  let db: Db;
  let orgId: string;
  let userId: string;
  const env = { key: process.env.HEADROOM_SECRET_KEY, loopback: process.env.HEADROOM_ALLOW_LOOPBACK };
  const tag = crypto.randomBytes(4).toString("hex");

  beforeAll(async () => {
    prom = await startPrometheus([FLEET], { start: START, end: NOW, step: STEP });
    bearerProxy = await startAuthProxy(prom.url, BEARER);
    basicProxy = await startAuthProxy(prom.url, BASIC);
    process.env.HEADROOM_ALLOW_LOOPBACK = "true";
    db = createDb(inject("databaseUrl"), 2);
    const [org] = await db.insert(organizations).values({ slug: `secrets-${tag}`, name: "Secrets" }).returning();
    const [user] = await db.insert(users).values({ email: `admin-${tag}@secrets.example`, name: "Admin" }).returning();
    await db.insert(memberships).values({ orgId: org!.id, userId: user!.id, role: "admin" });
    orgId = org!.id;
    userId = user!.id;
  }, 180_000);

  afterAll(async () => {
    for (const [name, value] of [["HEADROOM_SECRET_KEY", env.key], ["HEADROOM_ALLOW_LOOPBACK", env.loopback]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (db) {
      await db.delete(organizations).where(eq(organizations.id, orgId));
      await db.delete(users).where(eq(users.id, userId));
      await db.$client.end();
    }
    await Promise.all([bearerProxy?.stop(), basicProxy?.stop(), prom?.stop()]);
  });

  const bearer = (url: string, token?: string): PrometheusSettingsInput => ({ url, auth: { kind: "bearer", ...(token !== undefined ? { token } : {}) }, headers: [], skipVerify: false });
  const basic = (url: string, username: string, password?: string): PrometheusSettingsInput => ({ url, auth: { kind: "basic", username, ...(password !== undefined ? { password } : {}) }, headers: [], skipVerify: false });

  /** A new cluster with these settings saved under the current key (a new cluster: no cached source). */
  async function clusterWith(name: string, input: PrometheusSettingsInput) {
    await createCluster(db, { orgId, userId, input: { name, pricePerGibMonth: 3.2, currency: "USD" } });
    await saveSettings(db, { orgId, userId, slug: name, input });
    const [row] = await db.select().from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, name)));
    return row!;
  }

  const rejection = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(Error);
    return e as Error;
  };

  const bodyOf = async (e: unknown) => {
    const res = responseForError(e);
    return { status: res.status, error: ((await res.json()) as { error: string; issues?: { path: string; message: string }[] }) };
  };

  it("a stored bearer token is decrypted and sent: the proxy sees it, the connection test and the sync get data", async () => {
    process.env.HEADROOM_SECRET_KEY = newKey();
    const row = await clusterWith("bearer-ok", bearer(bearerProxy.url, TOKEN));
    expect(row.prometheusSecretEnc).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    const before = bearerProxy.seen.length;
    // the form leaves the token empty: the stored one is used
    const report = await testSettings(db, { orgId, slug: "bearer-ok", input: bearer(bearerProxy.url) });
    expect(report!.error).toBeNull();
    expect(report!.ok).toBe(true);
    expect(report!.containers).toBe(2);
    const sync = await syncNow(db, { orgId, slug: "bearer-ok", now: NOW });
    expect(sync).toMatchObject({ workloads: 2, containers: 2 });
    expect(sync!.oomKills).toBeGreaterThan(0);
    const sent = bearerProxy.seen.slice(before);
    expect(sent.length).toBeGreaterThan(10);
    expect(new Set(sent)).toEqual(new Set([expectedAuthorization(BEARER)]));
    expect((await getSettings(db, { orgId, slug: "bearer-ok" }))!.lastSyncError).toBeNull();
  });

  it("stored basic credentials are decrypted and sent: the proxy sees user and password, the sync gets data", async () => {
    process.env.HEADROOM_SECRET_KEY = newKey();
    const row = await clusterWith("basic-ok", basic(basicProxy.url, USERNAME, PASSWORD));
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const before = basicProxy.seen.length;
    const report = await testSettings(db, { orgId, slug: "basic-ok", input: basic(basicProxy.url, USERNAME) });
    expect(report).toMatchObject({ ok: true, error: null, containers: 2 });
    expect(await syncNow(db, { orgId, slug: "basic-ok", now: NOW })).toMatchObject({ workloads: 2, containers: 2 });
    expect(new Set(basicProxy.seen.slice(before))).toEqual(new Set([expectedAuthorization(BASIC)]));
  });

  it("a wrong stored secret is named: HTTP 401, check the credentials, on the connection test and the sync (recorded for the pages)", async () => {
    process.env.HEADROOM_SECRET_KEY = newKey();
    await clusterWith("bearer-wrong", bearer(bearerProxy.url, "not-the-token"));
    const report = await testSettings(db, { orgId, slug: "bearer-wrong", input: bearer(bearerProxy.url) });
    expect(report!.ok).toBe(false);
    expect(report!.error).toMatch(/HTTP 401 unauthorized \(check the credentials\)/);
    const e = await rejection(syncNow(db, { orgId, slug: "bearer-wrong", now: NOW }));
    expect(e).toBeInstanceOf(PrometheusError);
    expect((e as PrometheusError).status).toBe(401);
    expect(e.message).toMatch(/HTTP 401 unauthorized \(check the credentials\)/);
    expect(await bodyOf(e)).toMatchObject({ status: 502, error: { error: expect.stringMatching(/HTTP 401/) as unknown } });
    expect((await getSettings(db, { orgId, slug: "bearer-wrong" }))!.lastSyncError).toMatch(/HTTP 401 unauthorized \(check the credentials\)/);
    expect(bearerProxy.seen.at(-1)).toBe("Bearer not-the-token");

    await clusterWith("basic-wrong", basic(basicProxy.url, USERNAME, "wrong-password"));
    const basicError = await rejection(syncNow(db, { orgId, slug: "basic-wrong", now: NOW }));
    expect(basicError.message).toMatch(/HTTP 401 unauthorized \(check the credentials\)/);
    expect(basicProxy.seen.at(-1)).toBe(`Basic ${Buffer.from(`${USERNAME}:wrong-password`).toString("base64")}`);
  });

  it("HEADROOM_SECRET_KEY unset: the sync, the connection test and saving say so (503 where it is the server's fault), the settings page loads, and nothing is sent", async () => {
    process.env.HEADROOM_SECRET_KEY = newKey();
    await clusterWith("key-missing", bearer(bearerProxy.url, TOKEN));
    delete process.env.HEADROOM_SECRET_KEY;
    const sent = bearerProxy.seen.length;

    const sync = await rejection(syncNow(db, { orgId, slug: "key-missing", now: NOW }));
    expect(sync).toBeInstanceOf(ConflictError);
    expect(sync.message).toBe("The cluster's Prometheus settings cannot be used: HEADROOM_SECRET_KEY is not set: it must hold 32 random bytes, base64 or hex (openssl rand -base64 32)");
    expect((await bodyOf(sync)).status).toBe(409);

    for (const attempt of [() => testSettings(db, { orgId, slug: "key-missing", input: bearer(bearerProxy.url) }), () => saveSettings(db, { orgId, userId, slug: "key-missing", input: bearer(bearerProxy.url, "new-token") })]) {
      const e = await rejection(attempt());
      expect(e).toBeInstanceOf(SecretKeyError);
      expect(await bodyOf(e)).toEqual({ status: 503, error: { error: expect.stringMatching(/^HEADROOM_SECRET_KEY is not set/) as unknown } });
    }
    expect(await getSettings(db, { orgId, slug: "key-missing" })).toMatchObject({ url: bearerProxy.url, authKind: "bearer", hasSecret: true });
    expect(bearerProxy.seen.length).toBe(sent);

    process.env.HEADROOM_SECRET_KEY = "c2hvcnQ=";
    const short = await rejection(syncNow(db, { orgId, slug: "key-missing", now: NOW }));
    expect(short.message).toMatch(/HEADROOM_SECRET_KEY must decode to 32 bytes, got 5/);
  });

  it("a changed HEADROOM_SECRET_KEY: the sync says the stored secret does not decrypt, the form asks for it again, nothing is sent; entering it again works", async () => {
    process.env.HEADROOM_SECRET_KEY = newKey();
    await clusterWith("key-changed", bearer(bearerProxy.url, TOKEN));
    process.env.HEADROOM_SECRET_KEY = newKey();
    const sent = bearerProxy.seen.length;

    const sync = await rejection(syncNow(db, { orgId, slug: "key-changed", now: NOW }));
    expect(sync.message).toBe("The cluster's Prometheus settings cannot be used: stored secret does not decrypt with HEADROOM_SECRET_KEY (was the key changed?)");
    expect((await bodyOf(sync)).status).toBe(409);
    expect(await getSettings(db, { orgId, slug: "key-changed" })).toMatchObject({ hasSecret: true, unreadable: true });
    const test = await rejection(testSettings(db, { orgId, slug: "key-changed", input: bearer(bearerProxy.url) }));
    expect(test).toBeInstanceOf(SettingsError);
    expect(await bodyOf(test)).toEqual({ status: 400, error: { error: "invalid request", issues: [{ path: "auth.token", message: "the bearer token is required" }] } });
    expect(bearerProxy.seen.length).toBe(sent);

    await saveSettings(db, { orgId, userId, slug: "key-changed", input: bearer(bearerProxy.url, TOKEN) });
    expect(await getSettings(db, { orgId, slug: "key-changed" })).toMatchObject({ unreadable: false });
    expect(await syncNow(db, { orgId, slug: "key-changed", now: NOW })).toMatchObject({ workloads: 2 });
    expect(new Set(bearerProxy.seen.slice(sent))).toEqual(new Set([expectedAuthorization(BEARER)]));
  });
});
