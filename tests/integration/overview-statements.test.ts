import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { clusters, containers, oomEvents, oomKillsDaily, workloads } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { recentAtRisk } from "@/lib/at-risk/compute";
import { recentCostSummary } from "@/lib/cost/analyses";
import { listOffendersWithVerdicts } from "@/lib/incidents/list-verdicts";
import { getOverviewCounts } from "@/lib/queries/overview";
import { listClusters } from "@/lib/queries/clusters";
import { seedOrgWithAdmin } from "../support/orgs";

const NOW = 1_764_900_000;
const Mi = 1024 * 1024;
let db: Db;
let statements = 0;
let demoOrg: string;
let bigOrg: string;

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 4);
  // every statement the pool sends is counted (drizzle sends each through pool.query)
  const pool = db.$client as unknown as { query: (...args: unknown[]) => unknown };
  const query = pool.query.bind(pool);
  pool.query = (...args: unknown[]) => {
    statements++;
    return query(...args);
  };
  demoOrg = (await seedDemo(db, { now: NOW })).orgId;
  // an organization of 40 clusters, each with a workload whose container was OOMKilled twice
  bigOrg = (await seedOrgWithAdmin(db, "statements-40", "Forty clusters")).orgId;
  const rows = await db.insert(clusters).values(Array.from({ length: 40 }, (_, i) => ({ orgId: bigOrg, slug: `c-${i}`, name: `c-${i}`, connectionMode: "agent" as const, metricsKind: "prometheus" as const }))).returning();
  for (const c of rows) {
    const [w] = await db.insert(workloads).values({ orgId: bigOrg, clusterId: c.id, kind: "Deployment", namespace: "ns", name: "api" }).returning();
    await db.insert(containers).values({ orgId: bigOrg, workloadId: w!.id, name: "app", limitBytes: 512 * Mi, requestBytes: 256 * Mi });
    await db.insert(oomEvents).values([1, 2].map((k) => ({
      orgId: bigOrg, clusterId: c.id, workloadId: w!.id, namespace: "ns", podName: "api-1", podUid: `${c.slug}-u`, containerName: "app", reason: "OOMKilled", finishedAt: new Date((NOW - k * 3600) * 1000),
    })));
  }
});
afterAll(async () => {
  await db.$client.end();
});

/** The statements the overview's parts send for one load (the page's calls, as it makes them). */
async function overviewLoad(orgId: string): Promise<number> {
  const before = statements;
  const now = new Date(NOW * 1000);
  await Promise.all([
    getOverviewCounts(db, { orgId, now }),
    listOffendersWithVerdicts(db, { orgId, now, limit: 8 }),
    recentAtRisk(db, { orgId, now: NOW, waitMs: 150 }),
    recentCostSummary(db, { orgId, now: NOW, waitMs: 150 }),
  ]);
  return statements - before;
}

describe("the overview's SQL statements", () => {
  it("are at most 10 on the first load of a minute and 4 on the next, for 3 clusters as for 40", async () => {
    // counts, top offenders, their specs, the clusters' sources; at risk: containers, levels, sources; cost: containers, stored verdicts, sources
    expect(await overviewLoad(demoOrg)).toBe(10);
    expect(await overviewLoad(bigOrg)).toBeLessThanOrEqual(10);
    // within the minute the at-risk list and the cost summary are shared, not read again
    expect(await overviewLoad(demoOrg)).toBe(4);
    expect(await overviewLoad(bigOrg)).toBeLessThanOrEqual(4);
  });

  it("count the kills of 40 clusters exactly from the daily rollup", async () => {
    const counts = await getOverviewCounts(db, { orgId: bigOrg, now: new Date(NOW * 1000) });
    expect(counts).toMatchObject({ ooms24h: 80, ooms7d: 80, ooms30d: 80, clusters: 40, workloads: 40 });
    const before = statements;
    const list = await listClusters(db, { orgId: bigOrg, now: new Date(NOW * 1000) });
    expect(statements - before).toBe(1);
    expect(list.map((c) => c.ooms30d)).toEqual(Array(40).fill(2));
  });
});

describe("the daily OOMKill rollup", () => {
  it("adds only the kills an insert stored (a resent kill is not counted twice) and takes away deleted ones", async () => {
    const [c] = await db.select().from(clusters).where(and(eq(clusters.orgId, bigOrg), eq(clusters.slug, "c-0")));
    const [w] = await db.select().from(workloads).where(eq(workloads.clusterId, c!.id));
    const rollup = async () => (await db.select({ kills: oomKillsDaily.kills, lastAt: oomKillsDaily.lastAt }).from(oomKillsDaily).where(eq(oomKillsDaily.workloadId, w!.id)).orderBy(oomKillsDaily.day));
    const total = async () => (await rollup()).reduce((a, r) => a + r.kills, 0);
    expect(await total()).toBe(2);
    const kill = (hoursAgo: number, reason = "OOMKilled") => ({
      orgId: bigOrg, clusterId: c!.id, workloadId: w!.id, namespace: "ns", podName: "api-1", podUid: `${c!.slug}-u`, containerName: "app", reason, finishedAt: new Date((NOW - hoursAgo * 3600) * 1000),
    });
    // the same occurrence again, a new kill, and an exit that is not an OOMKill
    await db.insert(oomEvents).values([kill(1), kill(3), kill(4, "Error")]).onConflictDoNothing();
    expect(await total()).toBe(3);
    await db.delete(oomEvents).where(and(eq(oomEvents.workloadId, w!.id), eq(oomEvents.finishedAt, new Date((NOW - 1 * 3600) * 1000))));
    expect(await total()).toBe(2);
    // the day's latest kill is found again after the latest one is deleted
    const latest = await db.execute<{ at: Date }>(sql`select max(finished_at) as at from oom_events where workload_id = ${w!.id} and reason = 'OOMKilled'`);
    expect((await rollup()).map((r) => r.lastAt.getTime())).toContain(new Date(latest.rows[0]!.at).getTime());
    await db.delete(oomEvents).where(eq(oomEvents.workloadId, w!.id));
    expect(await rollup()).toEqual([]);
  });
});
