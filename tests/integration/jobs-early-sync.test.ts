import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { clusters, organizations } from "@/db/schema";
import { eq } from "drizzle-orm";
import type { ClusterSyncData } from "@/lib/jobs/kinds";
import { startJobs, type RunningJobs } from "@/lib/jobs/queue";
import { enqueueEarlySync, jobsClient } from "@/lib/jobs/server";

// An agent's batch that opens an incident queues a sync of the cluster's Prometheus at once (the
// incident's analysis), at most one per cluster a minute, and none for a cluster without Prometheus.

let db: Db;
let jobs: RunningJobs;
let orgId = "";
const synced: ClusterSyncData[] = [];
const savedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  process.env.DATABASE_URL = inject("databaseUrl");
  db = createDb(inject("databaseUrl"), 4);
  const [org] = await db.insert(organizations).values({ slug: "early-sync", name: "Early" }).returning();
  orgId = org!.id;
  jobs = await startJobs({ db, databaseUrl: inject("databaseUrl"), intervalSeconds: 0, pollSeconds: 0.5, log: () => {}, sync: async (c) => {
    // this suite's own jobs only: other suites' jobs left in the shared queue are run (and ignored) here too
    if (c.orgId === orgId) synced.push(c);
  } });
});
afterAll(async () => {
  await (await jobsClient()).stop({ graceful: false, wait: true });
  await jobs.stop(0);
  await db.delete(organizations).where(eq(organizations.id, orgId));
  await db.$client.end();
  process.env.DATABASE_URL = savedUrl;
});

const until = async (fn: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("an incident opened by an agent", () => {
  it("queues one early sync of a Prometheus-backed cluster, however many incidents a burst opens", async () => {
    const [c] = await db.insert(clusters).values({ orgId, slug: "with-prom", name: "with-prom", metricsKind: "prometheus", prometheusUrl: "https://prometheus.example.com" }).returning();
    expect(await enqueueEarlySync(db, { orgId, clusterId: c!.id })).toBe(true);
    expect(await enqueueEarlySync(db, { orgId, clusterId: c!.id })).toBe(false);
    await until(() => synced.length === 1);
    expect(synced).toEqual([{ orgId, clusterId: c!.id, slug: "with-prom" }]);
  });

  it("queues nothing for a cluster without Prometheus, a demo cluster, or another organization's cluster", async () => {
    const [bare, demo] = await db.insert(clusters).values([{ orgId, slug: "agent-only", name: "agent-only", metricsKind: "prometheus" }, { orgId, slug: "sim", name: "sim", metricsKind: "demo", connectionMode: "demo" }]).returning();
    expect(await enqueueEarlySync(db, { orgId, clusterId: bare!.id })).toBe(false);
    expect(await enqueueEarlySync(db, { orgId, clusterId: demo!.id })).toBe(false);
    expect(await enqueueEarlySync(db, { orgId: "00000000-0000-4000-8000-000000000000", clusterId: bare!.id })).toBe(false);
  });
});
