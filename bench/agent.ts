// BENCH_ONLY=agent — the in-cluster agent's figures, printed, never asserted:
//   detection latency (container status change in the API server → incident readable from the app's API), p50/p95 over 100 kills;
//   ingest: terminations per second the app stores (lib/ingest, real Postgres);
//   the agent's memory (RSS of the bundled collector) while watching 10,000 pods.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { eq } from "drizzle-orm";
import { createDb, migrateDb } from "@/db/connect";
import { clusters } from "@/db/schema";
import { createAgentToken } from "@/lib/clusters/agent-tokens";
import { ingestBatch } from "@/lib/ingest/store";
import type { IngestTermination } from "@/lib/schemas/ingest";
import { buildApp, startApp } from "../scripts/lib/app-server";
import { FakeKube } from "../tests/support/fake-kube";
import { spawnGroup, stopGroup } from "../tests/support/process-group";
import { seedOrgWithAdmin } from "../tests/support/orgs";
import { sessionCookie } from "../tests/support/sessions";
import { createTestDatabase } from "../tests/support/test-database";
import { freePort } from "@/db/embedded";

const SECRET = "bench-secret-not-for-production";
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

const podOf = (i: number, status: Record<string, unknown>) => ({
  metadata: { name: `web-7c9d8-${i.toString(36).padStart(5, "0")}`, namespace: "bench", uid: `uid-${i}`, ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7c9d8", controller: true }] },
  spec: { nodeName: `node-${i % 50}`, containers: [{ name: "app" }] },
  status: { phase: "Running", ...status },
});

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

export async function benchAgent() {
  console.log("\nIn-cluster agent (agents/collector, bundled) against a fake API server and the real app:");
  const database = await createTestDatabase();
  // the app's own pool size (db/client.ts), so ingest gets the connections it has in the app
  const db = createDb(database.url);
  await migrateDb(db);
  const { orgId, userId } = await seedOrgWithAdmin(db, "bench-agent", "Bench");
  const [cluster] = await db.insert(clusters).values({ orgId, slug: "bench", name: "bench", connectionMode: "agent", metricsKind: "prometheus" }).returning();
  const actor = { userId, ip: null };

  // ingest: batches of 500 distinct terminations straight into lib/ingest for about 5 s
  {
    let stored = 0;
    const t0 = Date.now();
    let batchNo = 0;
    while (Date.now() - t0 < 5000) {
      const base = batchNo++ * 500;
      const terminations: IngestTermination[] = Array.from({ length: 500 }, (_, k) => ({
        podUid: `ing-${base + k}`, pod: `ing-${base + k}`, namespace: "ingest", workloadKind: "Deployment", workloadName: `w${(base + k) % 200}`, container: "app", containerKind: "main",
        reason: k % 10 === 0 ? "OOMKilled" : "Killed", exitCode: 137, finishedAt: new Date(Date.now() - (base + k) * 1000).toISOString(), restartCount: 1, node: null, message: null,
      }));
      const body = { terminations };
      const raw = JSON.stringify(body);
      const r = await ingestBatch(db, { orgId, clusterId: cluster!.id, body: JSON.parse(raw), raw, idempotencyKey: `b${batchNo}`, now: new Date() });
      stored += r.stored;
    }
    const rate = stored / ((Date.now() - t0) / 1000);
    console.log(`  ingest: ${rate.toFixed(0)} terminations/s stored (batches of 500, 10% OOMKills opening or joining incidents)   goal 5,000/s   ratio ${(rate / 5000).toFixed(2)}x`);
  }
  // pod updates: the inventory as the agent sends it — a complete snapshot of 10,000 pods, then changes of 500 pods each (a new phase or node), for about 5 s
  {
    const POD_COUNT = 10_000;
    const workloadsOf = Array.from({ length: 200 }, (_, w) => ({
      kind: "Deployment" as const, namespace: "inv", name: `svc-${w}`, replicas: 50,
      containers: [{ name: "app", kind: "main" as const, image: "registry.example/app:1.2.3", command: ["node"], args: ["--max-old-space-size=384", "server.js"], env: { NODE_ENV: "production" }, requestBytes: 256 * 2 ** 20, limitBytes: 512 * 2 ** 20, memoryVolumes: [] }],
    }));
    const podAt = (i: number, round: number) => ({
      uid: `inv-${i}`, namespace: "inv", name: `svc-${i % 200}-7c9d8-${i.toString(36).padStart(5, "0")}`, workloadKind: "Deployment" as const, workloadName: `svc-${i % 200}`,
      node: `node-${(i + round) % 50}`, phase: round % 2 ? "Running" : "Pending", startedAt: new Date(1_800_000_000_000 + round * 1000).toISOString(),
    });
    const send = async (snapshot: Record<string, unknown>, key: string) => {
      const raw = JSON.stringify({ snapshot });
      return ingestBatch(db, { orgId, clusterId: cluster!.id, body: JSON.parse(raw), raw, idempotencyKey: key, now: new Date() });
    };
    const full = performance.now();
    await send({ complete: true, workloads: workloadsOf, pods: Array.from({ length: POD_COUNT }, (_, i) => podAt(i, 0)), nodes: [] }, "full-0");
    const fullMs = performance.now() - full;
    let updated = 0;
    let round = 1;
    const t0 = Date.now();
    while (Date.now() - t0 < 5000) {
      const first = ((round - 1) * 500) % POD_COUNT;
      const r = await send({ complete: false, pods: Array.from({ length: 500 }, (_, k) => podAt(first + k, round)) }, `changes-${round}`);
      updated += r.snapshot!.pods;
      round++;
    }
    const rate = updated / ((Date.now() - t0) / 1000);
    console.log(`  inventory: a complete snapshot of ${POD_COUNT.toLocaleString("en-US")} pods and 200 workloads stored in ${fullMs.toFixed(0)} ms (${(POD_COUNT / (fullMs / 1000)).toFixed(0)} pods/s); changes: ${rate.toFixed(0)} pod updates/s stored (batches of 500)   goal 5,000/s   ratio ${(rate / 5000).toFixed(2)}x`);
  }
  if (process.env.BENCH_AGENT_INGEST_ONLY) {
    await db.$client.end();
    await database.drop();
    return;
  }

  spawnSync("node", ["scripts/build-agent.mjs"], { stdio: "ignore" });
  buildApp({ quiet: true });
  const port = await freePort();
  const app = await startApp({ databaseUrl: database.url, port, secret: SECRET, quiet: true, env: { HEADROOM_SECRET_KEY: Buffer.alloc(32, 9).toString("base64") } });
  const [clusterRow] = await db.select().from(clusters).where(eq(clusters.id, cluster!.id));
  const { token } = await createAgentToken(db, { orgId, cluster: clusterRow!.slug, input: { name: "bench" }, actor });
  const { cookie } = await sessionCookie(db, userId, SECRET);
  const kube = await new FakeKube("bench-kube-token").start();
  kube.putOwner("ReplicaSet", { metadata: { name: "web-7c9d8", namespace: "bench", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", controller: true }] } });
  const PODS = 10_000;
  for (let i = 0; i < PODS; i++) kube.putPod(podOf(i, { containerStatuses: [{ name: "app", restartCount: 0, state: { running: {} } }] }));
  // its own process group, ended whole (the bundle runs in node itself; nothing it starts outlives the bench)
  const agent = spawnGroup("node", ["agents/collector/dist/collector.js", "--url", app.url, "--token", token, "--kubeconfig", kube.kubeconfig(), "--flush-interval-ms", "100"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  agent.stdout!.on("data", (c: Buffer) => (log += c.toString()));
  agent.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  try {
    for (let i = 0; i < 600 && !log.includes("watching"); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 3000));
    const rss = rssOf(agent.pid!);
    console.log(`  agent memory watching ${PODS.toLocaleString("en-US")} pods: ${(rss / 1048576).toFixed(0)} MiB RSS   goal 150 MiB   ratio ${(rss / 1048576 / 150).toFixed(2)}x`);

    // detection latency: 100 kills, one after the other, each timed to the incident in the app's API
    const latencies: number[] = [];
    for (let i = 0; i < 100; i++) {
      const finishedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString().replace(".000", "");
      const t0 = performance.now();
      kube.putPod(podOf(i, { containerStatuses: [{ name: "app", restartCount: 1, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt } } }] }));
      for (;;) {
        const res = await fetch(`${app.url}/api/v1/orgs/bench-agent/incidents?status=all&pageSize=1`, { headers: { cookie } });
        const body = (await res.json()) as { rows: { oomCount: number }[] };
        if ((body.rows[0]?.oomCount ?? 0) >= i + 1) break;
        if (performance.now() - t0 > 30_000) throw new Error(`kill ${i} not seen within 30 s: ${log.slice(-500)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      latencies.push(performance.now() - t0);
    }
    console.log(`  detection latency over 100 kills: p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms (flush every 100 ms, API polled every 10 ms)   goal p95 < 2,000 ms   ratio ${(pct(latencies, 95) / 2000).toFixed(2)}x`);
  } finally {
    stopGroup(agent);
    await kube.stop();
    await app.stop();
    await db.$client.end();
    await database.drop();
  }
}
