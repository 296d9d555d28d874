import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { clusters, organizations } from "@/db/schema";
import { createCluster, saveSettings, syncNow } from "@/lib/clusters/manage";
import { JOB, type ClusterSyncData } from "@/lib/jobs/kinds";
import { listOrgJobs, retryOrgJob } from "@/lib/jobs/list";
import { startJobs, type JobsOptions, type RunningJobs } from "@/lib/jobs/queue";
import { dueClusters, tickSecondsFor } from "@/lib/jobs/schedule";
import { DEMO_FLEET, type FleetCluster } from "@/lib/scenarios/demo-fleet";
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from "../support/prometheus";
import { seedOrgWithAdmin } from "../support/orgs";

let db: Db;
const url = () => inject("databaseUrl");
const running: RunningJobs[] = [];
const start = async (o: Partial<JobsOptions> & Pick<JobsOptions, "sync">) => {
  const jobs = await startJobs({ db, databaseUrl: url(), intervalSeconds: 0, pollSeconds: 0.5, log: () => {}, ...o });
  running.push(jobs);
  return jobs;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
const jobState = async (jobs: RunningJobs, id: string) => (await jobs.boss.getJobById(JOB.clusterSync, id))?.state ?? null;

beforeAll(() => {
  db = createDb(url(), 6);
});
afterAll(async () => {
  for (const j of running) await j.stop(0);
  await db.$client.end();
});

describe("scheduled syncs on the queue", () => {
  let orgId: string;
  beforeAll(async () => {
    const [org] = await db.insert(organizations).values({ slug: "scheduler-test", name: "Scheduler" }).returning();
    orgId = org!.id;
    await db.insert(clusters).values({ orgId, slug: "due", name: "due", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1" });
    await db.insert(clusters).values({ orgId, slug: "fresh", name: "fresh", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1", lastSyncAt: new Date(Date.now() + 3_600_000) });
  });

  it("looks for due clusters every tenth of the interval, between 1 s and a minute", () => {
    expect(tickSecondsFor(600)).toBe(60);
    expect(tickSecondsFor(300)).toBe(30);
    expect(tickSecondsFor(2)).toBe(1);
  });

  it("a cluster is due by its Prometheus or, in direct mode, its Kubernetes API; a demo cluster never", async () => {
    const { orgId: o } = await seedOrgWithAdmin(db, "jobs-due", "Due");
    const old = new Date(Date.now() - 601_000);
    const fresh = new Date(Date.now() - 599_000);
    const kube = { kubeServerUrl: "https://10.0.0.1:6443", kubeCredentialEnc: "sealed" };
    await db.insert(clusters).values([
      { orgId: o, slug: "prom-old", name: "prom-old", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1", lastSyncAt: old },
      { orgId: o, slug: "prom-fresh", name: "prom-fresh", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1", lastSyncAt: fresh },
      { orgId: o, slug: "kube-never", name: "kube-never", metricsKind: "prometheus", ...kube },
      { orgId: o, slug: "kube-fresh", name: "kube-fresh", metricsKind: "prometheus", ...kube, kubeSyncAt: fresh },
      { orgId: o, slug: "both-kube-old", name: "both-kube-old", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1", lastSyncAt: fresh, ...kube, kubeSyncAt: old },
      { orgId: o, slug: "agent-only", name: "agent-only", metricsKind: "prometheus", kubeSyncAt: old },
      { orgId: o, slug: "demo", name: "demo", metricsKind: "demo", prometheusUrl: "http://127.0.0.1:1" },
    ]);
    const jobs = await start({ sync: async () => null }); // pg-boss's schema, which the rule reads
    const due = (await dueClusters(db, { intervalSeconds: 600, now: Date.now() })).filter((c) => c.orgId === o).map((c) => c.slug);
    await jobs.stop();
    expect(due.sort()).toEqual(["both-kube-old", "kube-never", "prom-old"]);
    await db.delete(organizations).where(eq(organizations.id, o));
  });

  it("syncs a due cluster at start, then again once its last sync is older than the interval; a fresh one waits", async () => {
    const calls: { slug: string; at: number }[] = [];
    const t0 = Date.now();
    const jobs = await start({
      intervalSeconds: 2,
      sync: async (c) => {
        if (c.orgId !== orgId) return;
        calls.push({ slug: c.slug, at: Date.now() - t0 });
        await db.update(clusters).set({ lastSyncAt: new Date() }).where(eq(clusters.id, c.clusterId));
      },
    });
    const started = Date.now() - t0;
    // until the due cluster's second sync (about 2-3 s in; a loaded machine may take longer, never an error)
    await until("the due cluster's second sync", async () => calls.filter((c) => c.slug === "due").length >= 2, 20_000);
    await jobs.stop();
    const due = calls.filter((c) => c.slug === "due");
    expect(calls.some((c) => c.slug === "fresh")).toBe(false);
    expect(due.length).toBeGreaterThanOrEqual(2);
    expect(due[0]!.at).toBeLessThan(started + 2_000); // at start, not an interval later (the queue's own start-up, slow on a loaded machine, not counted)
    expect(due[1]!.at - due[0]!.at).toBeGreaterThanOrEqual(2_000); // not before its interval
  });
});

describe("a failing job", () => {
  let orgId: string;
  let otherOrgId: string;
  beforeAll(async () => {
    ({ orgId } = await seedOrgWithAdmin(db, "jobs-failing", "Failing"));
    ({ orgId: otherOrgId } = await seedOrgWithAdmin(db, "jobs-bystander", "Bystander"));
  });

  it("is retried with backoff, then kept as failed with its error (credentials masked), shown to its organization only; Retry runs it again", async () => {
    const [cluster] = await db.insert(clusters).values({ orgId, slug: "broken", name: "broken", metricsKind: "prometheus", prometheusUrl: "http://127.0.0.1:1" }).returning();
    const attempts: number[] = [];
    const jobs = await start({
      retryLimit: 1, retryDelaySeconds: 1,
      sync: async (c) => {
        if (c.orgId !== orgId) return;
        attempts.push(Date.now());
        throw new Error("Prometheus at http://admin:hunter2@prom.internal:9090/api/v1/query?token=abc123 refused the connection");
      },
    });
    const data: ClusterSyncData = { orgId, clusterId: cluster!.id, slug: "broken" };
    const id = (await jobs.boss.send(JOB.clusterSync, data))!;
    jobs.wake();
    await until("the job to fail", async () => (await jobState(jobs, id)) === "failed");
    expect(attempts).toHaveLength(2); // the first attempt and one retry
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(1_000); // not before its retry delay

    const listed = await listOrgJobs(db, { orgId });
    expect(listed.counts).toMatchObject({ failed: 1, queued: 0, active: 0 });
    expect(listed.jobs).toEqual([expect.objectContaining({ id, kind: "cluster.sync", state: "failed", cluster: "broken", attempts: 2, maxAttempts: 2, retryable: true })]);
    expect(listed.jobs[0]!.error).toBe("Prometheus at http://***@prom.internal:9090/api/v1/query?… refused the connection");
    expect(JSON.stringify(listed)).not.toMatch(/hunter2|abc123/);
    // another organization sees none of it, and cannot retry it
    expect(await listOrgJobs(db, { orgId: otherOrgId })).toEqual({ counts: { queued: 0, active: 0, retrying: 0, failed: 0 }, jobs: [] });
    expect(await retryOrgJob(db, async () => jobs.boss, { orgId: otherOrgId, id })).toBeNull();
    expect(await jobState(jobs, id)).toBe("failed");

    expect(await retryOrgJob(db, async () => jobs.boss, { orgId, id })).toEqual({ kind: "cluster.sync", cluster: "broken" });
    await until("the retried attempt", async () => attempts.length === 3);
    await until("the job to fail again", async () => (await jobState(jobs, id)) === "failed");
    await jobs.stop();
  });
});

// One organization's Prometheus endpoints accept connections and never answer; another's is a real Prometheus.
const missing = prometheusAvailable();
if (missing && process.env.CI) throw new Error(`CI needs Prometheus: ${missing}`);

describe.skipIf(missing !== null)("per-organization concurrency", () => {
  const STEP = 300;
  const NOW = Math.floor(Date.now() / 1000 / STEP) * STEP;
  const staging = DEMO_FLEET.find((c) => c.slug === "staging")!;
  const SMALL: FleetCluster = { ...staging, workloads: staging.workloads.filter((w) => ["payments-api", "checkout-web"].includes(w.name)) };
  let prom: RunningPrometheus;
  let hang: net.Server;
  const sockets = new Set<net.Socket>();
  let deadOrg: { orgId: string; userId: string };
  let liveOrg: { orgId: string; userId: string };
  const ids = new Map<string, string>();

  beforeAll(async () => {
    process.env.HEADROOM_SECRET_KEY = Buffer.alloc(32, 9).toString("base64");
    process.env.HEADROOM_ALLOW_LOOPBACK = "true";
    prom = await startPrometheus([SMALL], { start: NOW - 2 * 86_400, end: NOW, step: STEP, clusterLabel: "cluster" });
    hang = net.createServer((s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    const hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    deadOrg = await seedOrgWithAdmin(db, "jobs-dead-endpoints", "Dead endpoints");
    liveOrg = await seedOrgWithAdmin(db, "jobs-healthy", "Healthy");
    const settings = (u: string, value: string) => ({ url: u, auth: { kind: "none" as const }, headers: [], skipVerify: false, clusterLabel: "cluster", clusterLabelValue: value });
    for (const name of ["dead-1", "dead-2", "dead-3"]) {
      const c = await createCluster(db, { orgId: deadOrg.orgId, userId: deadOrg.userId, input: { name, pricePerGibMonth: 3.2, currency: "USD" } });
      await saveSettings(db, { orgId: deadOrg.orgId, userId: deadOrg.userId, slug: name, input: settings(hangUrl, name) });
      ids.set(name, c.id);
    }
    const live = await createCluster(db, { orgId: liveOrg.orgId, userId: liveOrg.userId, input: { name: "staging", pricePerGibMonth: 3.2, currency: "USD" } });
    await saveSettings(db, { orgId: liveOrg.orgId, userId: liveOrg.userId, slug: "staging", input: settings(prom.url, "staging") });
    ids.set("staging", live.id);
  }, 180_000);
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => hang?.close(r));
    await prom?.stop();
  });

  const ours = (c: ClusterSyncData) => c.orgId === deadOrg.orgId || c.orgId === liveOrg.orgId;
  /** the dead organization's three syncs first, then the healthy one: the worst order for the healthy one */
  async function enqueueAll(jobs: RunningJobs) {
    const sent: Record<string, string> = {};
    for (const [slug, orgId] of [["dead-1", deadOrg.orgId], ["dead-2", deadOrg.orgId], ["dead-3", deadOrg.orgId], ["staging", liveOrg.orgId]] as const) {
      sent[slug] = (await jobs.boss.send(JOB.clusterSync, { orgId, clusterId: ids.get(slug)!, slug }))!;
      await sleep(5); // distinct created_on: the queue's order is the sending order
    }
    jobs.wake();
    return sent;
  }
  const activeOf = async (orgId: string) => {
    const { rows } = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'cluster.sync' AND state = 'active' AND data->>'orgId' = ${orgId}`);
    return Number(rows[0]!.n);
  };

  it("the healthy organization's sync completes while the other's dead endpoints still hang, and they hold one slot at most", async () => {
    const jobs = await start({
      concurrency: 3, perOrg: 1, syncTimeoutSeconds: 8, retryLimit: 0,
      sync: (c) => (ours(c) ? syncNow(db, { orgId: c.orgId, slug: c.slug }) : Promise.resolve(null)),
    });
    const sent = await enqueueAll(jobs);
    let maxDeadActive = 0;
    await until("the healthy sync to finish", async () => {
      maxDeadActive = Math.max(maxDeadActive, await activeOf(deadOrg.orgId));
      const s = await jobState(jobs, sent.staging!);
      if (s === "failed") throw new Error(`the healthy sync failed: ${JSON.stringify((await jobs.boss.getJobById(JOB.clusterSync, sent.staging!))?.output)}`);
      return s === "completed";
    });
    // at that moment the first dead endpoint is still hanging and the other two wait their turn
    expect(await jobState(jobs, sent["dead-1"]!)).toBe("active");
    expect([await jobState(jobs, sent["dead-2"]!), await jobState(jobs, sent["dead-3"]!)]).toEqual(["created", "created"]);
    expect(maxDeadActive).toBe(1);
    const [synced] = await db.select().from(clusters).where(eq(clusters.id, ids.get("staging")!));
    expect(synced!.lastSyncAt).not.toBeNull();
    const output = (await jobs.boss.getJobById(JOB.clusterSync, sent.staging!))!.output as { workloads: number };
    expect(output.workloads).toBe(SMALL.workloads.length);

    // the hanging sync is failed at its timeout, and the organization's next one takes its slot
    await until("the first dead sync to time out", async () => (await jobState(jobs, sent["dead-1"]!)) === "failed", 20_000);
    expect((await jobs.boss.getJobById(JOB.clusterSync, sent["dead-1"]!))!.output).toEqual({ message: "timed out after 8 s" });
    await until("the next dead sync to start", async () => (await jobState(jobs, sent["dead-2"]!)) === "active");
    expect(await activeOf(deadOrg.orgId)).toBe(1);
    const shown = await listOrgJobs(db, { orgId: deadOrg.orgId });
    expect(shown.counts).toMatchObject({ active: 1, queued: 1, failed: 1 });
    expect(shown.jobs.map((j) => [j.cluster, j.error])).toEqual([["dead-1", "timed out after 8 s"]]);
    await jobs.stop(0);
    await db.execute(sql`DELETE FROM pgboss.job WHERE name = 'cluster.sync' AND data->>'orgId' IN (${deadOrg.orgId}, ${liveOrg.orgId})`);
  }, 90_000);

  it("without the per-organization limit the same dead endpoints take every slot and the healthy sync waits", async () => {
    const jobs = await start({
      concurrency: 3, perOrg: 3, syncTimeoutSeconds: 30, retryLimit: 0,
      sync: (c) => (ours(c) ? syncNow(db, { orgId: c.orgId, slug: c.slug }) : Promise.resolve(null)),
    });
    const sent = await enqueueAll(jobs);
    await until("the dead syncs to take the slots", async () => (await activeOf(deadOrg.orgId)) === 3);
    await sleep(2_000);
    expect(await jobState(jobs, sent.staging!)).toBe("created");
    await jobs.stop(0);
    // no job of these organizations is left in the shared queue for another suite's workers
    await db.execute(sql`DELETE FROM pgboss.job WHERE name = 'cluster.sync' AND data->>'orgId' IN (${deadOrg.orgId}, ${liveOrg.orgId})`);
  }, 60_000);
});
