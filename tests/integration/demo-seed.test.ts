import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, count, eq, ne } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { incidents, oomEvents, workloads } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { scenarioTerminations } from "@/lib/scenarios";
import { DEMO_FLEET, fleetPods, fleetSpec } from "@/lib/scenarios/demo-fleet";
import { listClusters, getCluster } from "@/lib/queries/clusters";
import { listWorkloads } from "@/lib/queries/workloads";
import { listIncidents } from "@/lib/queries/incidents";
import { getOverviewCounts, listTopOffenders } from "@/lib/queries/overview";
import { listAtRisk } from "@/lib/overview";
import { listWorkloadsQuery, listIncidentsQuery } from "@/lib/schemas/lists";
import { seedOtherOrg } from "../support/orgs";

const NOW = 1_764_900_000;
let db: Db;
let orgId: string;

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 4);
  orgId = (await seedDemo(db, { now: NOW })).orgId;
  await seedOtherOrg(db);
});
afterAll(async () => {
  await db.$client.end();
});

describe("the demo organization", () => {
  it("has three clusters, 40+ workloads, and OOMKills that match the scenario models", async () => {
    const clusters = await listClusters(db, { orgId, now: new Date(NOW * 1000) });
    expect(clusters.map((c) => c.slug)).toEqual(["prod-eu", "prod-us", "staging"]);
    expect(clusters.reduce((n, c) => n + c.workloads, 0)).toBeGreaterThanOrEqual(40);

    // every kill the models imply in 30 days is stored once, with exit 137
    const fc = DEMO_FLEET[0]!;
    const fw = fc.workloads.find((w) => w.name === "payments-api")!;
    const expected = fleetPods(fc.slug, fw).flatMap((p) => scenarioTerminations(fleetSpec(fc.slug, fw, fw.containers[0]!, p), NOW - 30 * 86_400, NOW));
    const prodEu = clusters.find((c) => c.slug === "prod-eu")!;
    const [w] = await db.select().from(workloads).where(and(eq(workloads.clusterId, prodEu.id), eq(workloads.name, "payments-api")));
    const stored = await db.select().from(oomEvents).where(eq(oomEvents.workloadId, w!.id));
    expect(stored.length).toBe(expected.length);
    expect(stored.every((e) => e.reason === "OOMKilled" && e.exitCode === 137)).toBe(true);
    expect(expected.length).toBeGreaterThan(100);
  });

  it("is idempotent: a second run adds nothing", async () => {
    const before = await db.select({ n: count() }).from(oomEvents);
    const again = await seedDemo(db, { now: NOW });
    expect(again.events).toBe(0);
    expect(again.incidents).toBe(0);
    const after = await db.select({ n: count() }).from(oomEvents);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("keeps at most one unresolved incident per workload container", async () => {
    const active = await db
      .select({ workloadId: incidents.workloadId, container: incidents.containerName, n: count() })
      .from(incidents)
      .where(ne(incidents.status, "resolved"))
      .groupBy(incidents.workloadId, incidents.containerName);
    expect(active.length).toBeGreaterThan(5);
    expect(active.every((r) => r.n === 1)).toBe(true);
  });

  it("adds only the kills since the last run when run later", async () => {
    const later = NOW + 6 * 3600;
    const r = await seedDemo(db, { now: later });
    expect(r.events).toBeGreaterThan(0);
    const counts = await getOverviewCounts(db, { orgId, now: new Date(later * 1000) });
    expect(counts.ooms24h).toBeGreaterThan(0);
    await db.delete(oomEvents).where(and(eq(oomEvents.orgId, orgId)));
    await seedDemo(db, { now: NOW });
  });
});

describe("dashboard queries", () => {
  const now = new Date(NOW * 1000);

  it("count OOMKills over 24 h, 7 d and 30 d consistently", async () => {
    const c = await getOverviewCounts(db, { orgId, now });
    expect(c.ooms24h).toBeGreaterThan(0);
    expect(c.ooms7d).toBeGreaterThan(c.ooms24h);
    expect(c.ooms30d).toBeGreaterThan(c.ooms7d);
    expect(c.dailyOoms).toHaveLength(30);
    expect(c.dailyOoms.reduce((n, d) => n + d.count, 0)).toBeGreaterThanOrEqual(c.ooms7d);
    expect(c.activeIncidents).toBeGreaterThan(0);
  });

  it("rank top offenders by OOMKills and the containers nearest their limit", async () => {
    const top = await listTopOffenders(db, { orgId, now, limit: 5 });
    expect(top).toHaveLength(5);
    for (let i = 1; i < top.length; i++) expect(top[i - 1]!.ooms30d).toBeGreaterThanOrEqual(top[i]!.ooms30d);
    expect(top[0]!.incidentStatus).not.toBeNull();
    const { rows: risk, unavailable } = await listAtRisk(db, { orgId, now, limit: 5 });
    expect(unavailable).toEqual([]);
    expect(risk).toHaveLength(5);
    expect(risk[0]!.usageOfLimit).toBeGreaterThan(0.85);
    expect(risk[0]!.usageOfLimit).toBeLessThan(1);
  });

  it("sort, filter and paginate a cluster's workloads", async () => {
    const cluster = (await getCluster(db, { orgId, slug: "prod-eu", now }))!;
    const byOoms = await listWorkloads(db, { orgId, clusterId: cluster.id, now, ...listWorkloadsQuery.parse({}) });
    expect(byOoms.total).toBe(15);
    expect(byOoms.rows[0]!.name).toBe("payments-api");
    expect(byOoms.rows[0]!.limitBytes).toBe(512 * 1024 * 1024);
    const byName = await listWorkloads(db, { orgId, clusterId: cluster.id, now, ...listWorkloadsQuery.parse({ sort: "name", dir: "asc", pageSize: 5, page: 2 }) });
    const all = (await listWorkloads(db, { orgId, clusterId: cluster.id, now, ...listWorkloadsQuery.parse({ sort: "name", dir: "asc", pageSize: 100 }) })).rows.map((r) => r.name);
    expect(all).toEqual([...all].sort());
    expect(byName.rows.map((r) => r.name)).toEqual(all.slice(5, 10));
    const filtered = await listWorkloads(db, { orgId, clusterId: cluster.id, now, ...listWorkloadsQuery.parse({ q: "ledger", namespace: "payments" }) });
    expect(filtered.rows.map((r) => r.name).sort()).toEqual(["ledger-db", "ledger-writer"]);
  });

  it("list incidents newest first and filter by status and cluster", async () => {
    const all = await listIncidents(db, { orgId, ...listIncidentsQuery.parse({ pageSize: 200 }) });
    const times = all.rows.map((r) => r.lastSeenAt);
    expect(times).toEqual([...times].sort().reverse());
    const resolved = await listIncidents(db, { orgId, ...listIncidentsQuery.parse({ status: "resolved" }) });
    expect(resolved.rows.every((r) => r.status === "resolved")).toBe(true);
    const staging = await listIncidents(db, { orgId, ...listIncidentsQuery.parse({ cluster: "staging" }) });
    expect(staging.total).toBeGreaterThan(0);
    expect(staging.rows.every((r) => r.cluster === "staging")).toBe(true);
  });

  it("never cross organizations", async () => {
    const [other] = await listClusters(db, { orgId: (await db.query.organizations.findFirst({ where: (o, { eq }) => eq(o.slug, "globex") }))!.id, now });
    expect(other!.slug).toBe("globex-prod");
    expect(await getCluster(db, { orgId, slug: "globex-prod", now })).toBeNull();
    const leak = await listWorkloads(db, { orgId, clusterId: other!.id, now, ...listWorkloadsQuery.parse({}) });
    expect(leak.rows).toEqual([]);
  });

  it("rejects bad list parameters with the field path", () => {
    const r = listWorkloadsQuery.safeParse({ sort: "bogus", page: "-1" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["sort", "page"]));
  });
});
