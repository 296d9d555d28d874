import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { costDelta, requestCost, type ContainerInput } from "@/lib/analysis";
import { costCsv, neutralizeCell } from "@/lib/cost/csv";
import { presetFor, PRICING_PRESETS } from "@/lib/cost/pricing";
import { buildCostReport } from "@/lib/cost/report";
import type { CostVerdict, FleetVerdicts } from "@/lib/cost/analyses";
import type { CostSubject } from "@/lib/queries/cost";
import { clusterPricingInput, costQuery } from "@/lib/schemas/cost";

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

describe("request cost (the engine's rule, as costDelta charges it)", () => {
  it("charges the effective request per replica and times the replicas, to the cent", () => {
    const c: ContainerInput = { name: "c", workload: { kind: "Deployment", name: "x", replicas: 3 }, requestBytes: Gi + Mi, limitBytes: 2 * Gi };
    // (1 + 1/1024) GiB x $128 = $128.125 -> $128.13 a replica; x3 = $384.375 -> $384.38
    expect(requestCost(c, { perGiBMonth: 128 })).toEqual({ currency: "USD", replicas: 3, monthlyPerReplica: 128.13, monthlyTotal: 384.38 });
    // no request: Kubernetes defaults it to the limit
    expect(requestCost({ ...c, requestBytes: null }, { currency: "EUR", perGiBMonth: 2 })).toEqual({ currency: "EUR", replicas: 3, monthlyPerReplica: 4, monthlyTotal: 12 });
    expect(requestCost({ ...c, requestBytes: null, limitBytes: null }, { perGiBMonth: 2 })!.monthlyTotal).toBe(0);
    expect(requestCost(c, null)).toBeNull();
    // today's cost plus the engine's delta is the recommended request's cost
    const delta = costDelta(c, { requestBytes: 2 * Gi }, { perGiBMonth: 3 })!;
    expect(requestCost(c, { perGiBMonth: 3 })!.monthlyTotal + delta.monthlyDeltaTotal).toBeCloseTo(requestCost({ ...c, requestBytes: 2 * Gi }, { perGiBMonth: 3 })!.monthlyTotal, 1);
  });
});

describe("pricing presets and input", () => {
  it("each preset says where its figure comes from and when; a stored price finds its preset", () => {
    for (const p of PRICING_PRESETS) {
      expect(p.sourceUrl).toMatch(/^https:\/\//);
      expect(p.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.perGiBMonth).toBeGreaterThan(1);
      expect(presetFor(Math.round(p.perGiBMonth * 10_000) / 10_000, p.currency)?.id).toBe(p.id);
    }
    // $0.004445 per GB-hour x 730 h
    expect(PRICING_PRESETS.find((p) => p.id === "aws-fargate-x86-us-east-1")!.perGiBMonth).toBeCloseTo(3.2449, 3);
    expect(presetFor(3.2449, "EUR")).toBeNull();
  });

  it("takes a preset or a custom price with an ISO 4217 currency, and names the field it refuses", () => {
    expect(clusterPricingInput.parse({ preset: "gcp-n2-us-central1" })).toEqual({ preset: "gcp-n2-us-central1" });
    expect(clusterPricingInput.parse({ perGiBMonth: 2.5, currency: "EUR" })).toEqual({ perGiBMonth: 2.5, currency: "EUR" });
    const paths = (v: unknown) => clusterPricingInput.safeParse(v).error?.issues.map((i) => i.path.join("."));
    expect(paths({ perGiBMonth: 2.5, currency: "ABC" })).toEqual(["currency"]);
    expect(paths({ perGiBMonth: 2.5, currency: "usd" })).toEqual(["currency"]);
    expect(paths({ perGiBMonth: -1, currency: "USD" })).toEqual(["perGiBMonth"]);
    expect(paths({ currency: "USD" })).toEqual(["perGiBMonth"]);
    expect(paths({ preset: "nope" })).toEqual(["preset"]);
    expect(paths({ preset: "gcp-n2-us-central1", perGiBMonth: 1 })).toEqual(["preset"]);
  });
});

describe("CSV injection", () => {
  it("neutralises a cell a spreadsheet would run, and only those", () => {
    for (const v of ["=1+2", "+1", "-1+cmd", "@SUM(A1)", "\tx", "\rx"]) expect(neutralizeCell(v)).toBe(`'${v}`);
    expect(neutralizeCell("payments-api")).toBe("payments-api");
    expect(neutralizeCell("a=b")).toBe("a=b");
  });
});

const subject = (over: Partial<CostSubject>): CostSubject => ({
  clusterId: "c1", cluster: "prod", metricsKind: "demo", currency: "USD", pricePerGibMonth: 4, workloadId: "w", namespace: "ns",
  workloadKind: "Deployment", workloadName: "api", replicas: 2, name: "app", image: null, command: null, args: null, env: null,
  requestBytes: Gi, limitBytes: 2 * Gi, labels: null, ...over,
});
const verdict = (requestBytes: number, limitBytes: number, over: Partial<CostVerdict> = {}): CostVerdict => ({
  pattern: "limit_too_low", recommendation: { requestBytes, limitBytes, noChange: false },
  backtest: { observedOomKills: 4, avoidedOomKills: 4, tightestHeadroomBytes: 200 * Mi, tightestHeadroomRatio: 0.2 }, cost: null, source: "stored", analyzedAt: null, ...over,
});

describe("the cost report", () => {
  const fleet: FleetVerdicts = {
    now: 1_800_000_000,
    subjects: [
      subject({ workloadName: "starved", requestBytes: Gi, labels: { team: "payments", "app.kubernetes.io/part-of": "shop" } }),
      subject({ workloadName: "fat", requestBytes: 4 * Gi, limitBytes: 8 * Gi, labels: { team: "payments" } }),
      subject({ workloadName: "right", workloadId: "w3", labels: { team: "search" } }),
      subject({ workloadName: "unknown" }),
      subject({ workloadName: "=evil", cluster: "eu", currency: "EUR", pricePerGibMonth: 3, replicas: 1, labels: { team: "payments" } }),
    ],
    verdicts: [
      verdict(2 * Gi, 3 * Gi),
      verdict(Gi, 2 * Gi, { backtest: { observedOomKills: 0, avoidedOomKills: 0, tightestHeadroomBytes: 10 * Mi, tightestHeadroomRatio: 0.005 } }),
      { ...verdict(Gi, 2 * Gi), recommendation: { requestBytes: Gi, limitBytes: 2 * Gi, noChange: true } },
      null,
      verdict(Gi, 3 * Gi, { backtest: { observedOomKills: 9, avoidedOomKills: 5, tightestHeadroomBytes: 0, tightestHeadroomRatio: 0 } }),
    ],
    unavailable: [],
  };

  it("totals per currency: today, the change split into add and save, no-change counted but not listed", () => {
    const r = buildCostReport(fleet, costQuery.parse({}));
    const usd = r.totals.find((t) => t.currency === "USD")!;
    // today: (1 + 4 + 1 + 1) GiB x $4 x 2 replicas = $56
    expect(usd.monthlyCost).toBe(56);
    // starved +1 GiB x $4 x 2 = +$8; fat -3 GiB x $4 x 2 = -$24
    expect(usd.add).toEqual({ amount: 8, containers: 1, oomKills: 4, oomKillsAvoided: 4 });
    expect(usd.save).toEqual({ amount: -24, containers: 1 });
    expect(usd.monthlyChange).toBe(-16);
    expect(usd.monthlyAfter).toBe(40);
    expect(usd.noChange).toBe(1);
    expect(usd.withoutVerdict).toBe(1);
    const eur = r.totals.find((t) => t.currency === "EUR")!;
    expect(eur).toMatchObject({ monthlyCost: 3, monthlyChange: 0, neutral: 1 });
    expect(r.rows.map((x) => x.workloadName)).toEqual(["starved", "=evil", "fat"]);
    expect(r.rows.map((x) => x.risk)).toEqual(["low", "high", "medium"]);
  });

  it("filters, sorts and pages; the CSV holds every row and the same totals, neutralised", () => {
    const save = buildCostReport(fleet, costQuery.parse({ direction: "save" }));
    expect(save.rows.map((x) => x.workloadName)).toEqual(["fat"]);
    const byName = buildCostReport(fleet, costQuery.parse({ sort: "name", dir: "asc", pageSize: "1", page: "2" }));
    expect(byName.total).toBe(3);
    expect(byName.rows.map((x) => x.workloadName)).toEqual(["fat"]);
    const eu = buildCostReport(fleet, costQuery.parse({ cluster: "eu" }));
    expect(eu.totals.map((t) => t.currency)).toEqual(["EUR"]);
    const all = buildCostReport(fleet, costQuery.parse({}), { all: true });
    const [rows, totals] = costCsv(all).split("\n\n");
    const parsed = parse(rows!, { columns: true }) as Record<string, string>[];
    expect(parsed.map((x) => x.workload)).toEqual(["starved", "'=evil", "fat"]);
    expect(parsed.map((x) => Number(x["monthly change total"]))).toEqual(all.rows.map((x) => x.monthlyDeltaTotal));
    const t = parse(totals!.split("\n").slice(1).join("\n"), { columns: true }) as Record<string, string>[];
    expect(t.map((x) => [x.currency, Number(x["monthly cost today"]), Number(x["monthly change"])])).toEqual(all.totals.map((x) => [x.currency, x.monthlyCost, x.monthlyChange]));
  });

  it("groups by the label key asked for (team unless told), workloads without it as (no <key>), per currency; the CSV carries the label", () => {
    const r = buildCostReport(fleet, costQuery.parse({ group: "label" }));
    expect(r.breakdown.label).toBe("team");
    expect(r.breakdown.groups.map((g) => [g.key, g.currency, g.containers, g.monthlyCost, g.monthlyChange, g.add, g.save])).toEqual([
      // starved $8 + fat $32 today; +$8 and -$24 if fixed
      ["payments", "USD", 2, 40, -16, 8, -24],
      ["(no team)", "USD", 1, 8, 0, 0, 0],
      ["search", "USD", 1, 8, 0, 0, 0],
      ["payments", "EUR", 1, 3, 0, 0, 0],
    ]);
    const partOf = buildCostReport(fleet, costQuery.parse({ group: "label", label: "app.kubernetes.io/part-of" }));
    expect(partOf.breakdown.groups.map((g) => [g.key, g.currency, g.containers])).toEqual([["(no app.kubernetes.io/part-of)", "USD", 3], ["shop", "USD", 1], ["(no app.kubernetes.io/part-of)", "EUR", 1]]);
    const [rows] = costCsv(buildCostReport(fleet, costQuery.parse({ group: "label" }), { all: true })).split("\n\n");
    expect((parse(rows!, { columns: true }) as Record<string, string>[]).map((x) => [x.workload, x["label team"]])).toEqual([["starved", "payments"], ["'=evil", "payments"], ["fat", "payments"]]);
    expect(buildCostReport(fleet, costQuery.parse({ group: "namespace" })).breakdown.groups.map((g) => [g.key, g.currency])).toEqual([["ns", "USD"], ["ns", "EUR"]]);
  });

  it("a label key must be one Kubernetes accepts", () => {
    const issues = (label: string) => costQuery.safeParse({ group: "label", label }).error?.issues.map((i) => i.path.join("."));
    for (const bad of ["", "team!", "-team", "a/b/c", `${"x".repeat(64)}`, "Example.com/team"]) expect(issues(bad), bad).toEqual(["label"]);
    for (const good of ["team", "app.kubernetes.io/part-of", "x".repeat(63), "Team_Name.v2"]) expect(issues(good), good).toBeUndefined();
  });
});
