import { costDelta, requestCost, type ContainerInput } from "@/lib/analysis";
import type { CostQuery } from "@/lib/schemas/cost";
import type { CostSubject } from "@/lib/queries/cost";
import type { CostVerdict, FleetVerdicts } from "./analyses";
import { labelValue } from "@/lib/kube/labels";

export type Direction = "add" | "save" | "neutral";
export type Risk = "low" | "medium" | "high";

/** One container with a recommendation that changes something: what it costs today and what the fix changes. */
export interface CostRow {
  id: string;
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  replicas: number;
  currency: string;
  pricePerGibMonth: number;
  requestBytes: number | null;
  limitBytes: number | null;
  recommendedRequestBytes: number;
  recommendedLimitBytes: number;
  /** the effective request's monthly cost today, all replicas */
  monthlyCost: number;
  monthlyDeltaPerReplica: number;
  monthlyDeltaTotal: number;
  /** add: costs more (a starved container); save: costs less (over-provisioned); neutral: a fix at the same cost */
  direction: Direction;
  /** OOMKills in the 30-day window and how many the recommendation would have avoided (the engine's backtest) */
  oomKills30d: number | null;
  oomKillsAvoided: number | null;
  risk: Risk | null;
  riskReason: string | null;
  pattern: string | null;
  /** the value of the query's label key on the container's workload (null: the workload has no such label) */
  labelValue: string | null;
  source: "live" | "stored";
  analyzedAt: string | null;
}

/** Totals in one currency (amounts in different currencies are never added together). */
export interface CurrencyTotals {
  currency: string;
  containers: number;
  /** what the memory requests cost a month today */
  monthlyCost: number;
  /** the change if every recommendation is applied, and the cost after */
  monthlyChange: number;
  monthlyAfter: number;
  /** money to add where containers are starved, and the OOMKills that buys away (backtest) */
  add: { amount: number; containers: number; oomKills: number; oomKillsAvoided: number };
  /** money saved where containers are over-provisioned (a negative amount) */
  save: { amount: number; containers: number };
  /** fixes that change nothing in cost (a limit raised, the request kept) */
  neutral: number;
  /** containers whose recommendation equals their request and limit */
  noChange: number;
  /** containers without a verdict (not enough data, metrics unreachable): today's cost only */
  withoutVerdict: number;
}

export interface GroupTotals {
  key: string;
  currency: string;
  containers: number;
  monthlyCost: number;
  monthlyChange: number;
  monthlyAfter: number;
  add: number;
  save: number;
}

export interface CostReport {
  now: number;
  totals: CurrencyTotals[];
  /** label: the key grouped by when group is "label" (workloads without it are the group "(no <key>)") */
  breakdown: { group: CostQuery["group"]; label: string | null; groups: GroupTotals[] };
  /** the label key the rows' labelValue reads */
  label: string;
  rows: CostRow[];
  total: number;
  page: number;
  pageSize: number;
  unavailable: { cluster: string; reason: string }[];
  clusters: string[];
  namespaces: string[];
}

/** The breakdown's group of a workload without the label. */
export const noLabelGroup = (key: string) => `(no ${key})`;

const cents = (v: number) => Math.round(v * 100) / 100;

const inputOf = (s: CostSubject): ContainerInput => ({
  cluster: s.cluster, namespace: s.namespace, workload: { kind: s.workloadKind, name: s.workloadName, replicas: s.replicas },
  name: s.name, requestBytes: s.requestBytes, limitBytes: s.limitBytes,
});

/** A container's figures: today's cost always; the change where its verdict has a recommendation. */
interface Priced {
  subject: CostSubject;
  monthlyCost: number;
  verdict: CostVerdict | null;
  /** null: no recommendation; "none": the recommendation changes nothing */
  change: { perReplica: number; total: number } | "none" | null;
}

function price(subject: CostSubject, verdict: CostVerdict | null): Priced {
  const input = inputOf(subject);
  const pricing = { currency: subject.currency, perGiBMonth: subject.pricePerGibMonth };
  const monthlyCost = requestCost(input, pricing)!.monthlyTotal;
  const rec = verdict?.recommendation ?? null;
  if (!rec) return { subject, monthlyCost, verdict, change: null };
  if (rec.noChange) return { subject, monthlyCost, verdict, change: "none" };
  // the live verdict's own cost figures; a stored verdict is priced again at today's price by the same engine rule
  const c = verdict!.cost ?? costDelta(input, rec, pricing)!;
  return { subject, monthlyCost, verdict, change: { perReplica: c.monthlyDeltaPerReplica, total: c.monthlyDeltaTotal } };
}

function riskOf(v: CostVerdict): { risk: Risk | null; reason: string | null } {
  const b = v.backtest;
  if (!b) return { risk: null, reason: null };
  const remaining = b.observedOomKills - b.avoidedOomKills;
  if (remaining > 0) return { risk: "high", reason: `${remaining} of ${b.observedOomKills} OOMKills would remain` };
  if (b.tightestHeadroomBytes <= 0) return { risk: "high", reason: "usage would have reached the recommended limit" };
  if (b.tightestHeadroomRatio < 0.1) return { risk: "medium", reason: `tightest headroom ${Math.round(b.tightestHeadroomRatio * 100)}% of the limit` };
  return { risk: "low", reason: `tightest headroom ${Math.round(b.tightestHeadroomRatio * 100)}% of the limit` };
}

function toRow(p: Priced, label: string): CostRow {
  const s = p.subject;
  const v = p.verdict!;
  const change = p.change as { perReplica: number; total: number };
  const { risk, reason } = riskOf(v);
  return {
    id: `${s.cluster}/${s.namespace}/${s.workloadKind}/${s.workloadName}/${s.name}`,
    cluster: s.cluster, namespace: s.namespace, workloadKind: s.workloadKind, workloadName: s.workloadName, container: s.name,
    replicas: Math.max(1, Math.round(s.replicas)), currency: s.currency, pricePerGibMonth: s.pricePerGibMonth,
    requestBytes: s.requestBytes, limitBytes: s.limitBytes,
    recommendedRequestBytes: v.recommendation!.requestBytes, recommendedLimitBytes: v.recommendation!.limitBytes,
    monthlyCost: p.monthlyCost, monthlyDeltaPerReplica: change.perReplica, monthlyDeltaTotal: change.total,
    direction: change.total > 0 ? "add" : change.total < 0 ? "save" : "neutral",
    oomKills30d: v.backtest?.observedOomKills ?? null, oomKillsAvoided: v.backtest?.avoidedOomKills ?? null,
    risk, riskReason: reason, pattern: v.pattern, labelValue: labelValue(s.labels, label), source: v.source, analyzedAt: v.analyzedAt,
  };
}

const matches = (s: CostSubject, q: CostQuery) => {
  if (q.cluster && s.cluster !== q.cluster) return false;
  if (q.namespace && s.namespace !== q.namespace) return false;
  if (q.q) {
    const needle = q.q.toLowerCase();
    return [s.cluster, s.namespace, s.workloadName, s.name, s.workloadKind].some((x) => x.toLowerCase().includes(needle));
  }
  return true;
};

function totalsOf(list: Priced[]): CurrencyTotals[] {
  const by = new Map<string, CurrencyTotals>();
  for (const p of list) {
    const cur = p.subject.currency;
    let t = by.get(cur);
    if (!t) {
      t = { currency: cur, containers: 0, monthlyCost: 0, monthlyChange: 0, monthlyAfter: 0, add: { amount: 0, containers: 0, oomKills: 0, oomKillsAvoided: 0 }, save: { amount: 0, containers: 0 }, neutral: 0, noChange: 0, withoutVerdict: 0 };
      by.set(cur, t);
    }
    t.containers++;
    t.monthlyCost += p.monthlyCost;
    if (p.change === null) t.withoutVerdict++;
    else if (p.change === "none") t.noChange++;
    else {
      t.monthlyChange += p.change.total;
      if (p.change.total > 0) {
        t.add.amount += p.change.total;
        t.add.containers++;
        t.add.oomKills += p.verdict?.backtest?.observedOomKills ?? 0;
        t.add.oomKillsAvoided += p.verdict?.backtest?.avoidedOomKills ?? 0;
      } else if (p.change.total < 0) {
        t.save.amount += p.change.total;
        t.save.containers++;
      } else t.neutral++;
    }
  }
  return [...by.values()]
    .map((t) => ({
      ...t, monthlyCost: cents(t.monthlyCost), monthlyChange: cents(t.monthlyChange), monthlyAfter: cents(t.monthlyCost + t.monthlyChange),
      add: { ...t.add, amount: cents(t.add.amount) }, save: { ...t.save, amount: cents(t.save.amount) },
    }))
    .sort((a, b) => b.monthlyCost - a.monthlyCost || a.currency.localeCompare(b.currency));
}

function groupsOf(list: Priced[], keyOf: (s: CostSubject) => string): GroupTotals[] {
  const by = new Map<string, GroupTotals>();
  for (const p of list) {
    const key = keyOf(p.subject);
    const k = `${key}\u0000${p.subject.currency}`;
    let g = by.get(k);
    if (!g) {
      g = { key, currency: p.subject.currency, containers: 0, monthlyCost: 0, monthlyChange: 0, monthlyAfter: 0, add: 0, save: 0 };
      by.set(k, g);
    }
    g.containers++;
    g.monthlyCost += p.monthlyCost;
    if (p.change && p.change !== "none") {
      g.monthlyChange += p.change.total;
      if (p.change.total > 0) g.add += p.change.total;
      else g.save += p.change.total;
    }
  }
  return [...by.values()]
    .map((g) => ({ ...g, monthlyCost: cents(g.monthlyCost), monthlyChange: cents(g.monthlyChange), monthlyAfter: cents(g.monthlyCost + g.monthlyChange), add: cents(g.add), save: cents(g.save) }))
    .sort((a, b) => b.monthlyCost - a.monthlyCost || a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency));
}

const RISK_ORDER: Record<Risk, number> = { low: 1, medium: 2, high: 3 };

const SORT_VALUE: Record<CostQuery["sort"], (r: CostRow) => number | string> = {
  delta: (r) => r.monthlyDeltaTotal,
  deltaPerReplica: (r) => r.monthlyDeltaPerReplica,
  current: (r) => r.monthlyCost,
  ooms: (r) => r.oomKills30d ?? -1,
  avoided: (r) => r.oomKillsAvoided ?? -1,
  risk: (r) => (r.risk ? RISK_ORDER[r.risk] : 0),
  name: (r) => `${r.workloadName}/${r.container}`,
  cluster: (r) => r.cluster,
  namespace: (r) => r.namespace,
};

/** The rows the filters and sort give, every one (the page and the CSV both start from these). */
function sortedRows(priced: Priced[], q: CostQuery): CostRow[] {
  const rows = priced.filter((p) => p.change !== null && p.change !== "none").map((p) => toRow(p, q.label)).filter((r) => q.direction === "all" || r.direction === q.direction);
  const value = SORT_VALUE[q.sort];
  const sign = q.dir === "asc" ? 1 : -1;
  return rows.sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sign * c || a.id.localeCompare(b.id);
  });
}

/**
 * The cost page for a query: totals per currency and the breakdown over the containers the cluster,
 * namespace and search filters keep (the direction filter narrows the listed rows only), then the
 * sorted rows, one page of them unless `all`. Pure: the same fleet and query give the same report.
 */
export function buildCostReport(fleet: FleetVerdicts, q: CostQuery, opts: { all?: boolean } = {}): CostReport {
  const priced = fleet.subjects.map((s, i) => ({ s, v: fleet.verdicts[i] ?? null })).filter(({ s }) => matches(s, q)).map(({ s, v }) => price(s, v));
  const rows = sortedRows(priced, q);
  const start = (q.page - 1) * q.pageSize;
  const group = q.group;
  const keyOf: (s: CostSubject) => string =
    group === "label" ? (s) => labelValue(s.labels, q.label) ?? noLabelGroup(q.label) : group === "namespace" ? (s) => s.namespace : (s) => s.cluster;
  const breakdown: CostReport["breakdown"] = { group, label: group === "label" ? q.label : null, groups: groupsOf(priced, keyOf) };
  return {
    now: fleet.now,
    totals: totalsOf(priced),
    breakdown,
    label: q.label,
    rows: opts.all ? rows : rows.slice(start, start + q.pageSize),
    total: rows.length,
    page: q.page,
    pageSize: q.pageSize,
    unavailable: fleet.unavailable,
    clusters: [...new Set(fleet.subjects.map((s) => s.cluster))].sort(),
    namespaces: [...new Set(fleet.subjects.map((s) => s.namespace))].sort(),
  };
}
