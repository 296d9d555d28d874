import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { clusters, containers, incidents, oomEvents, organizations, workloads } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { getContainerView, type ContainerView } from "@/lib/container-view";
import { analyzeFromSource, containerInput } from "@/lib/incidents/analyze";
import { listIncidentsWithVerdicts, listOffendersWithVerdicts, type IncidentListRow } from "@/lib/incidents/list-verdicts";
import { formatTimeToOom } from "@/lib/incidents/verdict-line";
import { DemoSource } from "@/lib/metrics/demo-source";
import { listAtRisk } from "@/lib/overview";
import { getCluster, type ClusterSummary } from "@/lib/queries/clusters";
import { listIncidentsQuery } from "@/lib/schemas/lists";

// the demo is seeded (and its incidents analysed) at SEEDED; the pages are read 25 minutes later,
// at two moments of the same minute
const SEEDED = 1_764_900_000;
const MINUTE = SEEDED + 25 * 60;
const EARLY = MINUTE + 3;
const LATE = MINUTE + 58;
let db: Db;
let orgId: string;

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 4);
  orgId = (await seedDemo(db, { now: SEEDED })).orgId;
});
afterAll(async () => {
  await db.$client.end();
});

const clusterCache = new Map<string, ClusterSummary>();
async function cluster(slug: string) {
  if (!clusterCache.has(slug)) clusterCache.set(slug, (await getCluster(db, { orgId, slug, now: new Date(SEEDED * 1000) }))!);
  return clusterCache.get(slug)!;
}

/** The container page of a list row, loaded at `now`. */
async function pageOf(r: Pick<IncidentListRow, "cluster" | "namespace" | "workloadKind" | "workloadName" | "container">, now: number, window: "24h" | "7d" | "30d" = "7d"): Promise<ContainerView> {
  const view = await getContainerView(db, {
    orgId, cluster: await cluster(r.cluster), namespace: r.namespace, kind: r.workloadKind, name: r.workloadName, container: r.container, now, window,
  });
  return view!;
}

/** The "Next OOMKill" of a container page, as its verdict shows it. */
const pagePrediction = (v: ContainerView) => (v.analysis!.timeToOomHours === null ? null : `next OOMKill in ${formatTimeToOom(v.analysis!.timeToOomHours)}`);

describe("a container's verdict", () => {
  it("is the same on the overview, the incidents list and its own page, and is this minute's, not the stored one", async () => {
    const list = await listIncidentsWithVerdicts(db, { orgId, now: EARLY, ...listIncidentsQuery.parse({ status: "active", pageSize: 200 }) });
    expect(list.rows.length).toBeGreaterThan(5);
    let predicted = 0;
    let movedSinceStored = 0;
    for (const row of list.rows) {
      const name = `${row.cluster}/${row.workloadName}/${row.container}`;
      expect(row.verdict, name).not.toBeNull();
      expect(row.verdict!.storedAt, name).toBeNull();
      const page = await pageOf(row, LATE);
      expect(row.verdict!.prediction, name).toBe(pagePrediction(page));
      expect(row.verdict!.pattern, name).toBe(page.analysis!.pattern);
      if (row.verdict!.prediction) predicted++;
      const [stored] = await db.select({ a: incidents.analysis }).from(incidents).where(eq(incidents.id, row.id));
      const storedHours = (stored!.a as { timeToOomHours: number | null }).timeToOomHours;
      if (storedHours !== null && page.analysis!.timeToOomHours !== null && storedHours !== page.analysis!.timeToOomHours) movedSinceStored++;
    }
    expect(predicted).toBeGreaterThanOrEqual(3);
    // 25 minutes after the incidents were analysed, the predictions the lists show have moved on
    expect(movedSinceStored).toBeGreaterThanOrEqual(3);

    const offenders = await listOffendersWithVerdicts(db, { orgId, now: new Date(EARLY * 1000), limit: 10 });
    const withIncident = offenders.filter((o) => o.incidentStatus !== null);
    expect(withIncident.length).toBeGreaterThanOrEqual(5);
    for (const o of withIncident) {
      const row = list.rows.find((r) => r.workloadId === o.workloadId && r.container === o.container)!;
      expect(o.verdict, `${o.workloadName}/${o.container}`).toEqual(row.verdict);
    }
    expect(withIncident.some((o) => o.verdict!.prediction !== null)).toBe(true);
  });

  it("predicts nothing once its incident is resolved, even where the stored analysis did", async () => {
    // the demo's resolved incidents share their container's analysis, some of which predict a kill
    const stale = await db.execute<{ n: number }>(sql`select count(*)::int as n from incidents
      where org_id = ${orgId} and status = 'resolved' and analysis ->> 'timeToOomHours' is not null`);
    expect(stale.rows[0]!.n).toBeGreaterThan(0);
    const resolved = await listIncidentsWithVerdicts(db, { orgId, now: EARLY, ...listIncidentsQuery.parse({ status: "resolved", pageSize: 200 }) });
    expect(resolved.rows.length).toBeGreaterThan(0);
    for (const r of resolved.rows) {
      expect(r.verdict?.prediction ?? null, `${r.workloadName}/${r.container}`).toBeNull();
      // what it does show is the stored verdict, dated
      if (r.verdict) expect(r.verdict.storedAt).toBe(new Date(SEEDED * 1000).toISOString().replace(".000Z", "Z"));
    }
    const all = await listIncidentsWithVerdicts(db, { orgId, now: EARLY, ...listIncidentsQuery.parse({ status: "all", pageSize: 200 }) });
    expect(all.rows.filter((r) => r.status === "resolved").every((r) => r.verdict?.prediction == null)).toBe(true);
  });

  it("gives identical numbers to two loads within a minute: request, limit, cost, prediction, chart", async () => {
    const names = ["payments-api", "push-gateway", "ledger-db", "pricing-engine", "cart-service", "ledger-writer", "search-indexer"];
    for (const name of names) {
      const ref = { cluster: "prod-eu", namespace: "", workloadKind: "", workloadName: name, container: "" };
      const [w] = await db
        .select({ namespace: workloads.namespace, kind: workloads.kind, container: containers.name })
        .from(workloads)
        .innerJoin(containers, eq(containers.workloadId, workloads.id))
        .innerJoin(clusters, eq(clusters.id, workloads.clusterId))
        .where(and(eq(workloads.orgId, orgId), eq(clusters.slug, "prod-eu"), eq(workloads.name, name)));
      Object.assign(ref, { namespace: w!.namespace, workloadKind: w!.kind, container: w!.container });
      for (const window of ["24h", "7d", "30d"] as const) {
        const a = await pageOf(ref, EARLY, window);
        const b = await pageOf(ref, LATE, window);
        expect(b.analysis!.recommendation, name).toEqual(a.analysis!.recommendation);
        expect(b.analysis!.cost, name).toEqual(a.analysis!.cost);
        expect(b.analysis!.timeToOomHours, name).toBe(a.analysis!.timeToOomHours);
        expect(b, `${name} ${window}`).toEqual(a);
      }
    }
    // and a server that computes the verdict afresh (another replica, a restart) finds the same
    const leak = await pageOf({ cluster: "prod-eu", namespace: "notifications", workloadKind: "Deployment", workloadName: "push-gateway", container: "gateway" }, EARLY);
    // prod-eu's push-gateway (another cluster runs one too, with other replicas and env: the row order is no filter)
    const spec = (await db
      .select({ workloads, containers })
      .from(containers)
      .innerJoin(workloads, eq(workloads.id, containers.workloadId))
      .innerJoin(clusters, eq(clusters.id, workloads.clusterId))
      .where(and(eq(workloads.orgId, orgId), eq(clusters.slug, "prod-eu"), eq(workloads.name, "push-gateway"))))[0]!;
    const pushRef = { cluster: "prod-eu", namespace: "notifications", workloadKind: "Deployment", workloadName: "push-gateway", container: "gateway" };
    const fresh = await analyzeFromSource(new DemoSource(), { ref: pushRef, now: leak.now, container: containerInput(pushRef, spec.workloads.replicas, spec.containers), pricing: { currency: "USD", perGiBMonth: 3.2 } });
    expect(fresh).toEqual(leak.analysis);
    expect(leak.now).toBe(MINUTE);

    const listA = await listIncidentsWithVerdicts(db, { orgId, now: EARLY, ...listIncidentsQuery.parse({}) });
    const listB = await listIncidentsWithVerdicts(db, { orgId, now: LATE, ...listIncidentsQuery.parse({}) });
    expect(listB).toEqual(listA);
    const riskA = await listAtRisk(db, { orgId, now: new Date(EARLY * 1000), limit: 8 });
    const riskB = await listAtRisk(db, { orgId, now: new Date(LATE * 1000), limit: 8 });
    expect(riskB).toEqual(riskA);
  });
});

describe("a stored verdict", () => {
  it("is shown with the time it was computed when the live one cannot be had", async () => {
    const [org] = await db.insert(organizations).values({ slug: "verdicts-initech", name: "Initech (verdicts)" }).onConflictDoNothing().returning();
    if (!org) return expect.unreachable("verdicts-initech exists already");
    // a Prometheus cluster nobody has configured yet: no live verdict
    const [c] = await db.insert(clusters).values({ orgId: org.id, slug: "vi-prod", name: "vi-prod", connectionMode: "direct", metricsKind: "prometheus" }).returning();
    const [w] = await db.insert(workloads).values({ orgId: org.id, clusterId: c!.id, kind: "Deployment", namespace: "payments", name: "payments-api", replicas: 3 }).returning();
    await db.insert(containers).values({ orgId: org.id, workloadId: w!.id, name: "api", image: "ghcr.io/initech/api:1", requestBytes: 384 * 2 ** 20, limitBytes: 512 * 2 ** 20 });
    const ref = { cluster: "prod-eu", namespace: "payments", workloadKind: "Deployment", workloadName: "payments-api", container: "api" };
    const analysis = await analyzeFromSource(new DemoSource(), {
      ref, now: SEEDED, pricing: null,
      container: containerInput(ref, 3, { name: "api", image: null, command: null, args: null, env: null, requestBytes: 384 * 2 ** 20, limitBytes: 512 * 2 ** 20 }),
    });
    expect(analysis.timeToOomHours).not.toBeNull();
    await db.insert(incidents).values({
      orgId: org.id, clusterId: c!.id, workloadId: w!.id, containerName: "api", status: "open", pattern: analysis.pattern, oomCount: 4,
      firstSeenAt: new Date((SEEDED - 86_400) * 1000), lastSeenAt: new Date((SEEDED - 600) * 1000), analysis, analyzedAt: new Date(SEEDED * 1000),
    });
    await db.insert(oomEvents).values({
      orgId: org.id, clusterId: c!.id, workloadId: w!.id, namespace: "payments", podName: "payments-api-1", podUid: "u-1", containerName: "api",
      reason: "OOMKilled", exitCode: 137, finishedAt: new Date((SEEDED - 600) * 1000),
    });
    const list = await listIncidentsWithVerdicts(db, { orgId: org.id, now: EARLY, ...listIncidentsQuery.parse({}) });
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]!.verdict).toEqual({
      pattern: "leak",
      text: expect.stringMatching(/^grows \+\d+(\.\d)?Mi\/h, never plateaus$/),
      prediction: `next OOMKill in ${formatTimeToOom(analysis.timeToOomHours!)}`,
      timeToOomHours: analysis.timeToOomHours,
      storedAt: new Date(SEEDED * 1000).toISOString().replace(".000Z", "Z"),
    });
    const [offender] = await listOffendersWithVerdicts(db, { orgId: org.id, now: new Date(EARLY * 1000), limit: 10 });
    expect(offender!.verdict).toEqual(list.rows[0]!.verdict);
  });
});
