import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { clusters, oomEvents } from "@/db/schema";
import { FakeKube } from "../support/fake-kube";
import { spawnGroup, stopGroup } from "../support/process-group";
import { memberCookie } from "../support/sessions";

// The agent end to end: headroom-collector watches a (fake, faithful) Kubernetes API server and
// pushes to the real app; the inventory (workloads with their limits from the API) appears; a pod
// driven Running → OOMKilled → CrashLoopBackOff → Running gives one incident, every other way to die
// (liveness kill, SIGTERM, an init container's error, an eviction, a node's SystemOOM) is recorded
// as itself, a watch that expires (410) or an API server that drops its watches loses nothing, the app
// unreachable for a while loses nothing, and a revoked token stops the agent.

const BASE = `http://127.0.0.1:${process.env.E2E_PORT}`;
let admin = "";
let kube: FakeKube;
let agent: ChildProcess | null = null;
let agentExit: Promise<number | null>;
let agentLog = "";

test.beforeAll(async () => {
  admin = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "admin@agent.acme.example", name: "Agent Admin", role: "admin" });
  kube = await new FakeKube("kube-token-for-the-agent").start();
});

test.afterAll(async () => {
  // the whole group: tsx and the node process it runs the agent in
  stopGroup(agent);
  await kube?.stop();
  await proxy?.stop();
});

/** A pass-through to the app that can be taken down and brought back on the same port (the app unreachable). */
class Outage {
  private server: http.Server | null = null;
  port = 0;
  async start() {
    this.server = http.createServer((req, res) => {
      const out = http.request(new URL(req.url ?? "/", BASE), { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      out.on("error", () => res.writeHead(502).end());
      req.pipe(out);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  stop() {
    return new Promise<void>((r) => {
      if (!this.server) return r();
      this.server.closeAllConnections();
      this.server.close(() => r());
      this.server = null;
    });
  }
}
let proxy: Outage | null = null;

const pod = (name: string, status: Record<string, unknown>, owner = { kind: "ReplicaSet", name: "shop-6f7c9" }) => ({
  metadata: { name, namespace: "shop", uid: `uid-${name}`, ownerReferences: [{ apiVersion: "apps/v1", kind: owner.kind, name: owner.name, controller: true }] },
  spec: { nodeName: "node-1", containers: [{ name: "app" }, { name: "proxy" }] },
  status: { phase: "Running", ...status },
});
const terminated = (reason: string, exitCode: number, finishedAt: string) => ({ terminated: { reason, exitCode, finishedAt, startedAt: finishedAt } });
const minutesAgo = (m: number) => new Date(Math.floor(Date.now() / 1000 - m * 60) * 1000).toISOString().replace(".000", "");

async function incidentsOf(request: import("@playwright/test").APIRequestContext) {
  const res = await request.get("/api/v1/orgs/acme/incidents?cluster=agent-lab&status=all", { headers: { cookie: admin } });
  return ((await res.json()).rows ?? []) as { workloadKind: string; workloadName: string; container: string; oomCount: number }[];
}

test("inventory from the API; kill → incident within seconds; every other termination as itself; nothing doubled or lost across a 410, a dropped watch or the app down; a revoked token stops the agent", async ({ request }) => {
  test.setTimeout(120_000);
  expect((await request.post("/api/v1/orgs/acme/clusters", { headers: { cookie: admin }, data: { name: "agent-lab" } })).status()).toBe(201);
  const { token, id } = await (await request.post("/api/v1/orgs/acme/clusters/agent-lab/agent-tokens", { headers: { cookie: admin }, data: { name: "collector" } })).json();

  // the Deployment as the API shows it: the limits and the memory-backed /cache come from here, not from metrics
  kube.put("deployments", {
    metadata: { name: "shop", namespace: "shop" },
    spec: {
      replicas: 2,
      template: {
        spec: {
          volumes: [{ name: "cache", emptyDir: { medium: "Memory", sizeLimit: "128Mi" } }],
          initContainers: [{ name: "migrate", image: "shop:1.4", resources: { limits: { memory: "64Mi" } } }],
          containers: [
            { name: "app", image: "shop:1.4", args: ["--max-old-space-size=384"], resources: { requests: { memory: "256Mi" }, limits: { memory: "512Mi" } }, volumeMounts: [{ name: "cache", mountPath: "/cache" }] },
            { name: "proxy", image: "envoy:1.30", resources: { limits: { memory: "128Mi" } } },
          ],
        },
      },
    },
  });
  kube.put("nodes", { metadata: { name: "node-1", labels: { "node.kubernetes.io/instance-type": "m6i.large" } }, status: { allocatable: { memory: "7Gi" }, capacity: { memory: "8Gi" }, conditions: [{ type: "MemoryPressure", status: "False" }] } });
  kube.putOwner("ReplicaSet", { metadata: { name: "shop-6f7c9", namespace: "shop", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "shop", controller: true }] } });
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 0, state: { running: {} } }, { name: "proxy", restartCount: 0, state: { running: {} } }] }));

  proxy = await new Outage().start();
  agent = spawnGroup(path.join("node_modules", ".bin", "tsx"), ["agents/collector/src/main.ts", "--url", `http://127.0.0.1:${proxy.port}`, "--inventory-interval-s", "1", "--token", token, "--kubeconfig", kube.kubeconfig(), "--flush-interval-ms", "200"], { stdio: ["ignore", "pipe", "pipe"] });
  agent.stdout!.on("data", (c: Buffer) => (agentLog += c.toString()));
  agent.stderr!.on("data", (c: Buffer) => (agentLog += c.toString()));
  agentExit = new Promise((r) => agent!.once("exit", (code) => r(code)));
  await expect.poll(() => agentLog, { timeout: 60_000 }).toContain("watching all namespaces");

  // the inventory from the API: the workload with its containers' limits (init container included), before any kill or metric
  const workloadsOf = async () => {
    const res = await request.get("/api/v1/orgs/acme/clusters/agent-lab/workloads", { headers: { cookie: admin } });
    return ((await res.json()).rows ?? []) as { kind: string; name: string; replicas: number; containers: { name: string; limitBytes: number | null }[] }[];
  };
  await expect.poll(async () => (await workloadsOf()).map((w) => `${w.kind}/${w.name}×${w.replicas}: ${w.containers.map((c) => `${c.name}=${c.limitBytes! / 2 ** 20}Mi`).join(" ")}`), { timeout: 15_000 })
    .toEqual(["Deployment/shop×2: app=512Mi migrate=64Mi proxy=128Mi"]);

  // OOMKilled, then crash-looping, then running again: the same kill seen three times
  const kill1 = minutesAgo(2);
  const t0 = Date.now();
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: terminated("OOMKilled", 137, kill1) }, { name: "proxy", restartCount: 0, state: { running: {} } }] }));
  await expect.poll(async () => (await incidentsOf(request)).map((i) => `${i.workloadKind}/${i.workloadName}/${i.container}:${i.oomCount}`), { timeout: 15_000, intervals: [100] }).toEqual(["Deployment/shop/app:1"]);
  console.log(`detection: container status change → incident readable in ${Date.now() - t0} ms`);
  // the incident's container page exists before any spec or history is known: it says what is missing
  const pageRes = await request.get("/acme/clusters/agent-lab/shop/deployment/shop/app", { headers: { cookie: admin } });
  expect(pageRes.status()).toBe(200);
  expect(await pageRes.text()).toContain("No memory history");
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 1, state: { running: {} }, lastState: terminated("OOMKilled", 137, kill1) }, { name: "proxy", restartCount: 1, state: { running: {} }, lastState: terminated("Error", 137, minutesAgo(1)) }] }));

  // the API server compacts its history and drops every watch: the agent relists and carries on
  kube.compact();
  kube.dropWatches();
  const kill2 = minutesAgo(0.5);
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 2, state: { running: {} }, lastState: terminated("OOMKilled", 137, kill2) }, { name: "proxy", restartCount: 1, state: { running: {} }, lastState: terminated("Error", 137, minutesAgo(1)) }] }));
  await expect.poll(async () => (await incidentsOf(request)).map((i) => i.oomCount), { timeout: 30_000, intervals: [200] }).toEqual([2]);

  const db = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [c] = await db.select().from(clusters).where(eq(clusters.slug, "agent-lab"));
    const rows = await db.select().from(oomEvents).where(eq(oomEvents.clusterId, c!.id));
    // each occurrence once: two OOMKills of app, one liveness-style kill of proxy recorded as Killed
    expect(rows.map((r) => `${r.containerName}:${r.reason}`).sort()).toEqual(["app:OOMKilled", "app:OOMKilled", "proxy:Killed"]);
  } finally {
    await db.$client.end();
  }

  // the app unreachable for a while: an init container's error, a SIGTERM, an eviction for memory and a node's SystemOOM happen meanwhile
  await proxy.stop();
  kube.putPod({
    metadata: { name: "shop-6f7c9-fghij", namespace: "shop", uid: "uid-shop-6f7c9-fghij", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "shop-6f7c9", controller: true }] },
    spec: { nodeName: "node-1", initContainers: [{ name: "migrate" }], containers: [{ name: "app" }] },
    status: {
      phase: "Running",
      initContainerStatuses: [{ name: "migrate", restartCount: 1, state: { terminated: { reason: "Completed", exitCode: 0, finishedAt: minutesAgo(0.4) } }, lastState: terminated("Error", 1, minutesAgo(0.45)) }],
      containerStatuses: [{ name: "app", restartCount: 1, state: { running: {} }, lastState: terminated("Error", 143, minutesAgo(0.3)) }],
    },
  });
  kube.putPod({
    metadata: { name: "shop-6f7c9-evict", namespace: "shop", uid: "uid-shop-6f7c9-evict", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "shop-6f7c9", controller: true }] },
    spec: { nodeName: "node-1", containers: [{ name: "app" }] },
    status: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.", conditions: [{ type: "Ready", status: "False", lastTransitionTime: minutesAgo(0.2) }] },
  });
  kube.put("events", {
    metadata: { name: "node-1.17f3a", namespace: "default", uid: "3f0c9a52-7d61-4b7e-9a0e-2c1f5e8d4b11" }, reason: "SystemOOM", type: "Warning",
    message: "System OOM encountered, victim process: java, pid: 4242", involvedObject: { kind: "Node", name: "node-1" }, count: 1, firstTimestamp: minutesAgo(0.2), lastTimestamp: minutesAgo(0.2),
  });
  await new Promise((r) => setTimeout(r, 4000));
  proxy = await proxy.start();
  const db2 = createDb(process.env.E2E_DATABASE_URL!, 1);
  try {
    const [c] = await db2.select().from(clusters).where(eq(clusters.slug, "agent-lab"));
    await expect.poll(async () => (await db2.select().from(oomEvents).where(eq(oomEvents.clusterId, c!.id))).map((r) => `${r.containerName || r.podName}:${r.containerKind}:${r.reason}:${r.exitCode}`).sort(), { timeout: 30_000, intervals: [250] }).toEqual([
      "app:main:OOMKilled:137", "app:main:OOMKilled:137", "app:main:Terminated:143", "migrate:init:Error:1", "node-1:main:SystemOOM:null", "proxy:main:Killed:137", "shop-6f7c9-evict:main:Evicted:null",
    ]);
    expect(agentLog).not.toContain("batch refused");
  } finally {
    await db2.$client.end();
  }
  expect((await incidentsOf(request)).map((i) => i.oomCount)).toEqual([2]);

  // revoked: the next batch gets a 401 and the agent stops instead of retrying forever
  await request.delete(`/api/v1/orgs/acme/clusters/agent-lab/agent-tokens/${id}`, { headers: { cookie: admin } });
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 3, state: { running: {} }, lastState: terminated("OOMKilled", 137, minutesAgo(0.1)) }] }));
  const code = await Promise.race([agentExit, new Promise<string>((r) => setTimeout(() => r("still running"), 20_000))]);
  expect(code, agentLog).toBe(1);
  expect(agentLog).toContain("refused the agent token (HTTP 401)");
  agent = null;
});
