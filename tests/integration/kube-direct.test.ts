import fs from "node:fs";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters, containers, incidents, nodes, oomEvents, organizations, pods, workloads } from "@/db/schema";
import { SettingsError } from "@/lib/clusters/prometheus-settings";
import { syncNow } from "@/lib/clusters/manage";
import { deleteKubeSettings, getKubeSettings, saveKubeSettings, testKubeSettings } from "@/lib/kube/direct-manage";
import { syncKubeDirect } from "@/lib/kube/direct-sync";
import { KubeReader } from "@/lib/kube/direct-client";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { OutboundPolicy } from "@/lib/security/outbound";
import { FakeKube } from "../support/fake-kube";

// Direct mode end to end: the app's own code saves a connection (sealed), reads a faithful fake API
// server through the outbound guard, and stores inventory, kills and incidents as an agent's batch would.

const LOOPBACK: OutboundPolicy = { allowLoopback: true, allowPrivate: false };
const STRICT: OutboundPolicy = { allowLoopback: false, allowPrivate: false };
const actor = { userId: null, ip: "203.0.113.9" };
const TOKEN = "direct-mode-token";
let db: Db;
let kube: FakeKube;
let orgId = "";
let clusterId = "";
const savedKey = process.env.HEADROOM_SECRET_KEY;

const owner = (kind: string, name: string) => [{ apiVersion: "apps/v1", kind, name, uid: `uid-${name}`, controller: true }];
const killedAt = "2026-11-29T09:30:00Z";

function seedCluster(k: FakeKube) {
  k.put("deployments", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "checkout", namespace: "shop", uid: "uid-checkout" }, spec: { replicas: 2, template: { spec: { containers: [{ name: "app", image: "shop/checkout:1.4", args: ["-Xmx900m"], resources: { requests: { memory: "512Mi" }, limits: { memory: "1Gi" } } }] } } } });
  k.put("replicasets", { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "checkout-7d9f8c6b5", namespace: "shop", uid: "uid-checkout-7d9f8c6b5", ownerReferences: owner("Deployment", "checkout") }, spec: { replicas: 2 } });
  for (const [name, lastState] of [
    ["checkout-7d9f8c6b5-x2k4q", { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: killedAt, startedAt: "2026-11-29T08:00:00Z" } }],
    ["checkout-7d9f8c6b5-p8w2n", { terminated: { reason: "Error", exitCode: 143, finishedAt: killedAt, startedAt: "2026-11-29T08:00:00Z" } }],
  ] as const) {
    k.putPod({
      apiVersion: "v1", kind: "Pod",
      metadata: { name, namespace: "shop", uid: `uid-${name}`, ownerReferences: owner("ReplicaSet", "checkout-7d9f8c6b5") },
      spec: { nodeName: "node-a", containers: [{ name: "app", image: "shop/checkout:1.4", resources: { limits: { memory: "1Gi" } } }] },
      status: { phase: "Running", startTime: "2026-11-29T08:00:00Z", containerStatuses: [{ name: "app", restartCount: 1, state: { running: { startedAt: "2026-11-29T09:30:05Z" } }, lastState }] },
    });
  }
  // the kubelet's SystemOOM event on a node (the kernel killed something), and an unrelated event that is not read
  k.put("events", { apiVersion: "v1", kind: "Event", metadata: { name: "node-a.17f3", namespace: "default", uid: "ev-sysoom-1" }, reason: "SystemOOM", message: "System OOM encountered, victim process: java, pid: 4242", count: 1, involvedObject: { kind: "Node", name: "node-a" }, lastTimestamp: "2026-11-29T09:40:00Z" });
  k.put("events", { apiVersion: "v1", kind: "Event", metadata: { name: "checkout.17f4", namespace: "shop", uid: "ev-pulled-1" }, reason: "Pulled", message: "image pulled", involvedObject: { kind: "Pod", name: "checkout-7d9f8c6b5-x2k4q" }, lastTimestamp: "2026-11-29T09:41:00Z" });
  k.put("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: "node-a", labels: { "node.kubernetes.io/instance-type": "m6i.xlarge" } }, status: { allocatable: { memory: "15Gi" }, capacity: { memory: "16Gi" }, conditions: [{ type: "MemoryPressure", status: "False" }] } });
}

beforeAll(async () => {
  process.env.HEADROOM_SECRET_KEY = crypto.randomBytes(32).toString("base64");
  db = createDb(inject("databaseUrl"), 2);
  const [org] = await db.insert(organizations).values({ slug: "direct-mode", name: "Direct" }).returning();
  orgId = org!.id;
  const [c] = await db.insert(clusters).values({ orgId, slug: "edge", name: "edge", connectionMode: "direct", metricsKind: "prometheus" }).returning();
  clusterId = c!.id;
  kube = await new FakeKube(TOKEN).start();
  seedCluster(kube);
});
afterAll(async () => {
  await kube.stop();
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
  process.env.HEADROOM_SECRET_KEY = savedKey;
});

describe("direct mode: the server reads the Kubernetes API with a stored credential", () => {
  it("refuses an API server the outbound guard refuses, on the field, and stores nothing", async () => {
    const err = await saveKubeSettings(db, { orgId, slug: "edge", input: { kind: "token", serverUrl: kube.url, token: TOKEN, skipVerify: false }, actor, policy: STRICT }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SettingsError);
    expect((err as SettingsError).path).toBe("serverUrl");
    expect((await getKubeSettings(db, { orgId, slug: "edge" }))?.configured).toBe(false);
  });

  it("saves a pasted kubeconfig's token sealed, never readable back, and audits it without the token", async () => {
    const view = await saveKubeSettings(db, { orgId, slug: "edge", input: { kind: "kubeconfig", kubeconfig: fs.readFileSync(kube.kubeconfig(), "utf8") }, actor, policy: LOOPBACK });
    expect(view).toMatchObject({ configured: true, serverUrl: kube.url, auth: "token", skipVerify: true, unreadable: false });
    const [row] = await db.select().from(clusters).where(eq(clusters.id, clusterId));
    expect(row!.kubeCredentialEnc).toBeTruthy();
    expect(row!.kubeCredentialEnc).not.toContain(TOKEN);
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "cluster.kubernetes.update")));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.data)).not.toContain(TOKEN);
  });

  it("Test connection reports every list readable with the stored token", async () => {
    const report = await testKubeSettings(db, { orgId, slug: "edge", input: { kind: "token", serverUrl: kube.url, skipVerify: true }, actor, policy: LOOPBACK });
    expect(report?.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report).toMatchObject({ ok: true, version: "v1.33.2", error: null });
  });

  it("a sync stores the workloads with their specs, pods, nodes, each termination as itself, and one incident for the OOMKill", async () => {
    const r = await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK, now: new Date("2026-11-29T10:00:00Z") });
    expect(r).toMatchObject({ workloads: 1, pods: 2, nodes: 1, terminations: 3, stored: 3, incidentsOpened: 1, error: null });
    const [w] = await db.select().from(workloads).where(eq(workloads.clusterId, clusterId));
    expect(w).toMatchObject({ kind: "Deployment", namespace: "shop", name: "checkout", replicas: 2 });
    const [c] = await db.select().from(containers).where(eq(containers.workloadId, w!.id));
    expect(c).toMatchObject({ name: "app", image: "shop/checkout:1.4", args: ["-Xmx900m"], requestBytes: 512 * 1024 ** 2, limitBytes: 1024 ** 3 });
    expect((await db.select().from(pods).where(eq(pods.clusterId, clusterId))).map((p) => p.name).sort()).toEqual(["checkout-7d9f8c6b5-p8w2n", "checkout-7d9f8c6b5-x2k4q"]);
    expect(await db.select({ name: nodes.name, alloc: nodes.allocatableMemoryBytes }).from(nodes).where(eq(nodes.clusterId, clusterId))).toEqual([{ name: "node-a", alloc: 15 * 1024 ** 3 }]);
    const events = await db.select({ pod: oomEvents.podName, reason: oomEvents.reason, exit: oomEvents.exitCode, node: oomEvents.node, message: oomEvents.message }).from(oomEvents).where(eq(oomEvents.clusterId, clusterId)).orderBy(asc(oomEvents.podName));
    expect(events).toEqual([
      { pod: "checkout-7d9f8c6b5-p8w2n", reason: "Terminated", exit: 143, node: "node-a", message: null },
      { pod: "checkout-7d9f8c6b5-x2k4q", reason: "OOMKilled", exit: 137, node: "node-a", message: null },
      { pod: "node-a", reason: "SystemOOM", exit: null, node: "node-a", message: "System OOM encountered, victim process: java, pid: 4242" },
    ]);
    const open = await db.select().from(incidents).where(eq(incidents.clusterId, clusterId));
    expect(open.map((i) => [i.containerName, i.status, i.oomCount])).toEqual([["app", "open", 1]]);
    const [row] = await db.select().from(clusters).where(eq(clusters.id, clusterId));
    expect(row!.kubeSyncAt?.toISOString()).toBe("2026-11-29T10:00:00.000Z");
    expect(row!.kubeSyncError).toBeNull();
  });

  it("reads lists page by page: a cluster bigger than a page is read whole", async () => {
    for (let i = 0; i < 1203; i++) kube.put("nodes", { apiVersion: "v1", kind: "Node", metadata: { name: `pool-${String(i).padStart(4, "0")}` }, status: { allocatable: { memory: "3Gi" }, conditions: [] } });
    try {
      const r = await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK, now: new Date("2026-11-29T10:05:00Z") });
      expect(r?.nodes).toBe(1204);
      expect(await db.$count(nodes, eq(nodes.clusterId, clusterId))).toBe(1204);
    } finally {
      for (let i = 0; i < 1203; i++) kube.remove("nodes", null, `pool-${String(i).padStart(4, "0")}`);
    }
  });

  it("Test connection names the list a ClusterRole does not grant", async () => {
    kube.forbidden.add("cronjobs");
    try {
      const report = await testKubeSettings(db, { orgId, slug: "edge", input: { kind: "token", serverUrl: kube.url, skipVerify: true }, actor, policy: LOOPBACK });
      expect(report).toMatchObject({ ok: false, version: "v1.33.2", error: "1 of 10 lists cannot be read" });
      expect(report?.checks.filter((c) => !c.ok)).toEqual([{ resource: "cronjobs", ok: false, error: expect.stringMatching(/may not read \/apis\/batch\/v1\/cronjobs \(HTTP 403\).*get, list and watch/) }]);
      const r = await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK });
      expect(r?.error).toMatch(/cronjobs \(HTTP 403\)/);
    } finally {
      kube.forbidden.delete("cronjobs");
    }
  });

  it("reading again stores nothing twice", async () => {
    const r = await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK, now: new Date("2026-11-29T10:10:00Z") });
    expect(r).toMatchObject({ terminations: 3, stored: 0, incidentsOpened: 0 });
    expect(await db.$count(oomEvents, eq(oomEvents.clusterId, clusterId))).toBe(3);
    expect(await db.$count(incidents, eq(incidents.clusterId, clusterId))).toBe(1);
  });

  it("Sync now on a cluster with Kubernetes only reads the API server", async () => {
    // the operator's policy (the environment) applies here: this test's API server is on loopback
    const saved = process.env.HEADROOM_ALLOW_LOOPBACK;
    process.env.HEADROOM_ALLOW_LOOPBACK = "true";
    try {
      const r = await syncNow(db, { orgId, slug: "edge", now: Date.parse("2026-11-29T10:20:00Z") / 1000 });
      expect(r?.kubernetes).toMatchObject({ workloads: 1, pods: 2, error: null });
    } finally {
      process.env.HEADROOM_ALLOW_LOOPBACK = saved;
    }
  });

  it("a revoked token is recorded on the cluster in words, and the inventory read before stays", async () => {
    await saveKubeSettings(db, { orgId, slug: "edge", input: { kind: "token", serverUrl: kube.url, token: "revoked-token", skipVerify: true }, actor, policy: LOOPBACK });
    const r = await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK });
    expect(r?.error).toMatch(/refused the credential \(HTTP 401\)/);
    const [row] = await db.select().from(clusters).where(eq(clusters.id, clusterId));
    expect(row!.kubeSyncError).toMatch(/HTTP 401/);
    expect(await db.$count(pods, eq(pods.clusterId, clusterId))).toBe(2);
    const report = await testKubeSettings(db, { orgId, slug: "edge", input: { kind: "token", serverUrl: kube.url, skipVerify: true }, actor, policy: LOOPBACK });
    expect(report).toMatchObject({ ok: false });
    expect(report?.error).toMatch(/HTTP 401/);
  });

  it("a credential sealed under another key asks to be entered again; Disconnect forgets it", async () => {
    process.env.HEADROOM_SECRET_KEY = crypto.randomBytes(32).toString("base64");
    expect((await getKubeSettings(db, { orgId, slug: "edge" }))?.unreadable).toBe(true);
    const r = await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK });
    expect(r?.error).toMatch(/does not decrypt/);
    expect(await deleteKubeSettings(db, { orgId, slug: "edge", actor })).toBe(true);
    expect(await getKubeSettings(db, { orgId, slug: "edge" })).toMatchObject({ configured: false, serverUrl: null });
    expect(await syncKubeDirect(db, { orgId, clusterId, policy: LOOPBACK })).toBeNull();
  });

  it("a hostile API server cannot hold the reader: repeated pages, endless pages and too many bytes end the read with a reason", async () => {
    let mode: "repeat" | "empty" | "big" = "repeat";
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      if (mode === "repeat") return res.end(JSON.stringify({ kind: "PodList", metadata: { continue: "same" }, items: [{ metadata: { name: "p" } }] }));
      if (mode === "empty") return res.end(JSON.stringify({ kind: "PodList", metadata: { continue: `t${Math.random()}` }, items: [] }));
      res.end(JSON.stringify({ kind: "PodList", metadata: { continue: `t${Math.random()}` }, items: [{ pad: "x".repeat(300_000) }] }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const conn = { serverUrl: url, caPem: null, skipVerify: false, credential: { kind: "token" as const, token: "t" } };
    try {
      await expect(new KubeReader(conn, LOOPBACK).list("pods")).rejects.toThrow(/did not page forward/);
      mode = "empty";
      await expect(new KubeReader(conn, LOOPBACK).list("pods")).rejects.toThrow(/did not page forward/);
      mode = "big";
      await expect(new KubeReader(conn, LOOPBACK, { maxTotalBytes: 2 * 1024 * 1024 }).list("pods")).rejects.toThrow(/sent more than 2Mi in one read/);
      await expect(new KubeReader(conn, LOOPBACK, { maxPageBytes: 100_000 }).list("pods")).rejects.toThrow(/more than 100000 bytes/);
      await expect(new KubeReader(conn, LOOPBACK, { deadlineMs: 300 }).list("pods")).rejects.toThrow(/took too long/);
    } finally {
      server.close();
    }
  });

  it("a plain http:// API server is refused unless the operator allows loopback (development)", async () => {
    const err = await saveKubeSettings(db, { orgId, slug: "edge", input: { kind: "token", serverUrl: "http://k8s.example.com", token: "t", skipVerify: false }, actor, policy: { allowLoopback: false, allowPrivate: true } }).catch((e: unknown) => e);
    expect((err as SettingsError).message).toMatch(/must be reached over https/);
  });

  it("another organization's cluster is not found", async () => {
    expect(await getKubeSettings(db, { orgId: crypto.randomUUID(), slug: "edge" })).toBeNull();
    expect(await syncKubeDirect(db, { orgId: crypto.randomUUID(), clusterId, policy: LOOPBACK })).toBeNull();
  });
});
