import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "csv-parse/sync";
import { and, eq } from "drizzle-orm";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters } from "@/db/schema";
import { seedDemo } from "@/db/seed/demo";
import { requestCost } from "@/lib/analysis";
import { fleetVerdicts, getCostReport } from "@/lib/cost/analyses";
import { costCsv } from "@/lib/cost/csv";
import { buildCostReport } from "@/lib/cost/report";
import { analyzeFromSource, containerInput } from "@/lib/incidents/analyze";
import { DemoSource } from "@/lib/metrics/demo-source";
import { listCostSubjects, setClusterPricing } from "@/lib/queries/cost";
import { costQuery } from "@/lib/schemas/cost";

const SEEDED = 1_764_900_000;
const NOW = SEEDED + 10 * 60;
let db: Db;
let orgId: string;

beforeAll(async () => {
  db = createDb(inject("databaseUrl"), 4);
  orgId = (await seedDemo(db, { now: SEEDED })).orgId;
});
afterAll(async () => {
  await db.$client.end();
});

const cents = (v: number) => Math.round(v * 100) / 100;

/** The contract's rule, container by container, from the engine run on its own (a fresh demo source, not the page's cache). */
async function expectedFromEngine() {
  const source = new DemoSource();
  const subjects = await listCostSubjects(db, { orgId });
  const per = await Promise.all(
    subjects.map(async (s) => {
      const ref = { cluster: s.cluster, namespace: s.namespace, workloadKind: s.workloadKind, workloadName: s.workloadName, container: s.name };
      const container = containerInput(ref, s.replicas, s);
      const pricing = { currency: s.currency, perGiBMonth: s.pricePerGibMonth };
      const a = await analyzeFromSource(source, { ref, container, now: NOW, pricing });
      return { s, a, today: requestCost(container, pricing)!.monthlyTotal };
    }),
  );
  const byCurrency = new Map<string, { today: number; change: number; add: number; save: number; avoidedByAdding: number; noChange: number }>();
  for (const { s, a, today } of per) {
    const t = byCurrency.get(s.currency) ?? { today: 0, change: 0, add: 0, save: 0, avoidedByAdding: 0, noChange: 0 };
    t.today += today;
    if (a.recommendation?.noChange) t.noChange++;
    const delta = a.cost?.monthlyDeltaTotal ?? 0;
    t.change += delta;
    if (delta > 0) {
      t.add += delta;
      t.avoidedByAdding += a.backtest!.avoidedOomKills;
    }
    if (delta < 0) t.save += delta;
    byCurrency.set(s.currency, t);
  }
  return { per, byCurrency };
}

describe("the cost page on the seeded demo fleet", () => {
  it("adds up the engine's per-container figures by the contract's rule (effective request x price, per replica and times replicas)", async () => {
    const t0 = performance.now();
    const report = await getCostReport(db, { orgId, now: NOW, query: costQuery.parse({ pageSize: 200 }) });
    const cold = performance.now() - t0;
    const t1 = performance.now();
    await getCostReport(db, { orgId, now: NOW + 30, query: costQuery.parse({ pageSize: 200 }) });
    const warm = performance.now() - t1;
    console.log(`cost report over ${report.totals.reduce((n, t) => n + t.containers, 0)} demo containers: first load of a minute ${Math.round(cold)} ms, again in the same minute ${Math.round(warm)} ms`);

    const { per, byCurrency } = await expectedFromEngine();
    expect(report.unavailable).toEqual([]);
    expect(report.totals.map((t) => t.currency)).toEqual(["USD"]);
    const usd = report.totals[0]!;
    const e = byCurrency.get("USD")!;
    expect(usd.containers).toBe(per.length);
    expect(usd.monthlyCost).toBe(cents(e.today));
    expect(usd.monthlyChange).toBe(cents(e.change));
    expect(usd.add.amount).toBe(cents(e.add));
    expect(usd.save.amount).toBe(cents(e.save));
    expect(usd.add.oomKillsAvoided).toBe(e.avoidedByAdding);
    expect(usd.noChange).toBe(e.noChange);
    // the demo fleet has both: starved containers and over-provisioned ones
    expect(usd.add.amount).toBeGreaterThan(0);
    expect(usd.save.amount).toBeLessThan(0);

    // every listed row is the engine's own figure for that container; no-change containers are not listed
    const listed = per.filter((p) => p.a.recommendation && !p.a.recommendation.noChange);
    expect(report.total).toBe(listed.length);
    for (const row of report.rows) {
      const p = per.find((x) => x.s.cluster === row.cluster && x.s.namespace === row.namespace && x.s.workloadName === row.workloadName && x.s.name === row.container)!;
      expect(row.monthlyDeltaPerReplica, row.id).toBe(p.a.cost!.monthlyDeltaPerReplica);
      expect(row.monthlyDeltaTotal, row.id).toBe(p.a.cost!.monthlyDeltaTotal);
      expect(row.recommendedRequestBytes, row.id).toBe(p.a.recommendation!.requestBytes);
      expect(row.recommendedLimitBytes, row.id).toBe(p.a.recommendation!.limitBytes);
      expect(row.oomKills30d, row.id).toBe(p.a.backtest!.observedOomKills);
      expect(row.oomKillsAvoided, row.id).toBe(p.a.backtest!.avoidedOomKills);
    }
    // the clusters' sums are the total
    const byCluster = report.breakdown.groups;
    expect(cents(byCluster.reduce((n, g) => n + g.monthlyCost, 0))).toBe(usd.monthlyCost);
    expect(cents(byCluster.reduce((n, g) => n + g.monthlyChange, 0))).toBe(usd.monthlyChange);
  });

  it("groups by the workloads' team label (qa's tools as (no team)), or any label key, adding up to the totals", async () => {
    const report = await getCostReport(db, { orgId, now: NOW, query: costQuery.parse({ group: "label", pageSize: 200 }) });
    const usd = report.totals[0]!;
    const teams = report.breakdown.groups;
    expect(report.breakdown.label).toBe("team");
    expect(teams.map((g) => g.key).sort()).toEqual(["(no team)", "catalog", "checkout", "data", "growth", "payments", "platform", "search"]);
    expect(cents(teams.reduce((n, g) => n + g.monthlyCost, 0))).toBe(usd.monthlyCost);
    expect(cents(teams.reduce((n, g) => n + g.monthlyChange, 0))).toBe(usd.monthlyChange);
    // qa's three tools in staging carry no team
    expect(teams.find((g) => g.key === "(no team)")!.containers).toBe(3);
    expect(report.rows.filter((r) => r.namespace === "payments").every((r) => r.labelValue === "payments")).toBe(true);
    const partOf = await getCostReport(db, { orgId, now: NOW, query: costQuery.parse({ group: "label", label: "app.kubernetes.io/part-of" }) });
    expect(partOf.breakdown.groups.map((g) => g.key)).toContain("storefront");
    expect(partOf.breakdown.groups.map((g) => g.key)).not.toContain("(no app.kubernetes.io/part-of)");
  });

  it("the CSV holds the same rows and totals as the report for the same filters", async () => {
    const query = costQuery.parse({ cluster: "prod-eu", direction: "add", sort: "ooms" });
    const fleet = await fleetVerdicts(db, { orgId, now: NOW });
    const screen = buildCostReport(fleet, { ...query, pageSize: 200 });
    const [rowsText, totalsText] = costCsv(buildCostReport(fleet, query, { all: true })).split("\n\n");
    const rows = parse(rowsText!, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(screen.total);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => `${r.cluster}/${r.namespace}/${r.kind}/${r.workload}/${r.container}`)).toEqual(screen.rows.map((r) => r.id));
    expect(rows.map((r) => Number(r["monthly change total"]))).toEqual(screen.rows.map((r) => r.monthlyDeltaTotal));
    expect(rows.every((r) => r.direction === "add" && r.cluster === "prod-eu")).toBe(true);
    const totals = parse(totalsText!.split("\n").slice(1).join("\n"), { columns: true }) as Record<string, string>[];
    expect(totals.map((t) => [t.currency, Number(t["monthly cost today"]), Number(t["monthly change"]), Number(t["to add"]), Number(t.saved)])).toEqual(
      screen.totals.map((t) => [t.currency, t.monthlyCost, t.monthlyChange, t.add.amount, t.save.amount]),
    );
  });

  it("a price change moves every figure of that cluster on the next load, never adds two currencies, and is audited", async () => {
    const q = costQuery.parse({ pageSize: 200 });
    const before = await getCostReport(db, { orgId, now: NOW, query: q });
    const saved = await setClusterPricing(db, { orgId, slug: "staging", input: { perGiBMonth: 6.4, currency: "EUR" }, actor: { userId: null, ip: "127.0.0.1" } });
    expect(saved).toEqual({ cluster: "staging", perGiBMonth: 6.4, currency: "EUR" });
    const after = await getCostReport(db, { orgId, now: NOW, query: q });
    expect(after.totals.map((t) => t.currency).sort()).toEqual(["EUR", "USD"]);
    const eur = after.totals.find((t) => t.currency === "EUR")!;
    const usdBefore = before.totals[0]!;
    const usdAfter = after.totals.find((t) => t.currency === "USD")!;
    const stagingBefore = before.breakdown.groups.find((g) => g.key === "staging")!;
    // staging was $3.20 a GiB-month: now €6.40, twice the figure, in euros, out of the dollar total
    expect(eur.monthlyCost).toBeCloseTo(stagingBefore.monthlyCost * 2, 1);
    expect(usdAfter.monthlyCost).toBe(cents(usdBefore.monthlyCost - stagingBefore.monthlyCost));
    const rowsBefore = before.rows.filter((r) => r.cluster === "staging");
    const rowsAfter = after.rows.filter((r) => r.cluster === "staging");
    expect(rowsAfter.length).toBe(rowsBefore.length);
    for (const r of rowsAfter) {
      const b = rowsBefore.find((x) => x.id === r.id)!;
      expect(r.currency).toBe("EUR");
      if (b.monthlyDeltaPerReplica !== 0) expect(r.monthlyDeltaPerReplica, r.id).not.toBe(b.monthlyDeltaPerReplica);
      expect(r.monthlyDeltaPerReplica, r.id).toBeCloseTo(b.monthlyDeltaPerReplica * 2, 1);
    }
    // the other clusters' rows did not move
    for (const r of after.rows.filter((x) => x.cluster !== "staging")) expect(r.monthlyDeltaTotal).toBe(before.rows.find((x) => x.id === r.id)!.monthlyDeltaTotal);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "cluster.pricing.update")));
    expect(audit!.data).toMatchObject({ cluster: "staging", preset: null, from: { perGiBMonth: 3.2, currency: "USD" }, to: { perGiBMonth: 6.4, currency: "EUR" } });

    // a preset sets its own price and currency; another organization's cluster is not found
    const preset = await setClusterPricing(db, { orgId, slug: "staging", input: { preset: "gcp-n2-us-central1" }, actor: { userId: null, ip: null } });
    expect(preset).toEqual({ cluster: "staging", perGiBMonth: 3.093, currency: "USD" });
    const [row] = await db.select({ p: clusters.pricePerGibMonth, c: clusters.currency }).from(clusters).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, "staging")));
    expect(row).toEqual({ p: 3.093, c: "USD" });
    expect(await setClusterPricing(db, { orgId: "00000000-0000-4000-8000-000000000000", slug: "staging", input: { perGiBMonth: 1, currency: "USD" }, actor: { userId: null, ip: null } })).toBeNull();
  });
});
