import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { eq } from "drizzle-orm";
import { createDb } from "@/db/connect";
import { clusters, oomEvents } from "@/db/schema";
import { FakeKube } from "../support/fake-kube";
import { memberCookie } from "../support/sessions";

// The agent end to end: headroom-collector watches a (fake, faithful) Kubernetes API server and
// pushes to the real app; a pod driven Running → OOMKilled → CrashLoopBackOff → Running gives one
// incident, a liveness kill is recorded as itself, a watch that expires (410) or an API server that
// drops its watches loses nothing, and a revoked token stops the agent.

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
  agent?.kill("SIGKILL");
  await kube?.stop();
});

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

test("kill → incident in the API within seconds; nothing doubled, nothing lost across a 410 and a dropped watch; a revoked token stops the agent", async ({ request }) => {
  test.setTimeout(120_000);
  expect((await request.post("/api/v1/orgs/acme/clusters", { headers: { cookie: admin }, data: { name: "agent-lab" } })).status()).toBe(201);
  const { token, id } = await (await request.post("/api/v1/orgs/acme/clusters/agent-lab/agent-tokens", { headers: { cookie: admin }, data: { name: "collector" } })).json();

  kube.putOwner("ReplicaSet", { metadata: { name: "shop-6f7c9", namespace: "shop", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "shop", controller: true }] } });
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 0, state: { running: {} } }, { name: "proxy", restartCount: 0, state: { running: {} } }] }));

  agent = spawn(path.join("node_modules", ".bin", "tsx"), ["agents/collector/src/main.ts", "--url", BASE, "--token", token, "--kubeconfig", kube.kubeconfig(), "--flush-interval-ms", "200"], { stdio: ["ignore", "pipe", "pipe"] });
  agent.stdout!.on("data", (c: Buffer) => (agentLog += c.toString()));
  agent.stderr!.on("data", (c: Buffer) => (agentLog += c.toString()));
  agentExit = new Promise((r) => agent!.once("exit", (code) => r(code)));
  await expect.poll(() => agentLog, { timeout: 60_000 }).toContain("watching all namespaces");

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

  // revoked: the next batch gets a 401 and the agent stops instead of retrying forever
  await request.delete(`/api/v1/orgs/acme/clusters/agent-lab/agent-tokens/${id}`, { headers: { cookie: admin } });
  kube.putPod(pod("shop-6f7c9-abcde", { containerStatuses: [{ name: "app", restartCount: 3, state: { running: {} }, lastState: terminated("OOMKilled", 137, minutesAgo(0.1)) }] }));
  const code = await Promise.race([agentExit, new Promise<string>((r) => setTimeout(() => r("still running"), 20_000))]);
  expect(code, agentLog).toBe(1);
  expect(agentLog).toContain("refused the agent token (HTTP 401)");
  agent = null;
});
