import { formatQuantity, Gi, mib, nextCleanAbove, roundUpClean } from "./quantity";
import { CEILING_SHARE, heapCeilings, type HeapCeiling } from "./runtime";
import type { Summary } from "./stats";
import type { AnalysisOutput, ContainerInput, Profile, Recommendation } from "./types";

/** Recommendation profile from the workload kind: StatefulSet is stateful, Job and CronJob are batch. */
export function profileOf(kind: string | null | undefined): Profile {
  const k = (kind ?? "").toLowerCase();
  if (k === "statefulset") return "stateful";
  if (k === "job" || k === "cronjob") return "batch";
  return "stateless";
}

const RULES: Record<Profile, { stat: "p95" | "p99" | "max"; factor: number }> = {
  stateless: { stat: "p95", factor: 1.2 },
  stateful: { stat: "p99", factor: 1.3 },
  batch: { stat: "max", factor: 1.5 },
};

/** A heap ceiling against the current and the recommended limit, and what the fix does to it. */
export interface CeilingPlan {
  ceiling: HeapCeiling;
  share: number;
  /** its size under the current limit (null: no limit) */
  currentBytes: number | null;
  /** its size under the recommended limit if nothing else changed */
  atRecommendedBytes: number;
  /** its size once the fix is applied */
  afterBytes: number;
  /** the fix lowers it (through `env`) */
  lowered: boolean;
}

/** A recommendation with everything the fix changes. */
export interface SizingPlan {
  rec: Recommendation;
  /** env variables the fix sets (name -> new value), other flags kept as they were */
  env: Record<string, string>;
  ceilings: CeilingPlan[];
  /** the recommendation equals the current request and limit and changes no variable */
  noChange: boolean;
}

/**
 * Request and limit by the domain guide: the profile's statistic plus headroom, rounded up to a clean
 * quantity; never at or below a limit the container was OOMKilled at, never below a leaking
 * container's current limit, never below the mean or p95; heap ceilings left their room (lowered
 * through env, or the limit raised when the command line sets them); request at steady state, within 2x.
 */
export function planSizing(c: ContainerInput, stats: Summary, q: { oomKilled: boolean; leak: boolean }): SizingPlan {
  const profile = profileOf(c.workload?.kind);
  const rule = RULES[profile];
  const raw = stats[rule.stat] * rule.factor;
  let limit = roundUpClean(raw);
  const notes: string[] = [`${rule.stat} of working set + ${Math.round((rule.factor - 1) * 100)}% = ${formatQuantity(Math.round(raw / 1048576) * 1048576)}, rounded up`];
  const current = c.limitBytes ?? null;
  const floor = roundUpClean(Math.max(stats.mean, stats.p95));
  // Stryker disable next-line EqualityOperator: `<=` is equivalent (limit becomes floor either way)
  if (limit < floor) {
    limit = floor;
    notes.push(`raised to cover the mean and p95 (${mib(Math.max(stats.mean, stats.p95))})`);
  }
  if (q.oomKilled && current !== null && limit <= current) {
    // the kills prove usage reaches the current limit, even where scrapes missed the peak
    limit = nextCleanAbove(current);
    notes.push(`raised above the ${formatQuantity(current)} limit it was OOMKilled at`);
    // Stryker disable next-line EqualityOperator: `<=` is equivalent (limit becomes current either way)
  } else if (q.leak && current !== null && limit < current) {
    // a smaller limit only brings a leak's next kill forward
    limit = current;
    notes.push(`kept at the current ${formatQuantity(current)}: a smaller limit would bring the leak's next kill forward`);
  }

  const found = heapCeilings(c);
  // a ceiling set in the command line cannot be changed by `kubectl set env`: the limit makes room for it
  for (const h of found) {
    const share = CEILING_SHARE[h.runtime];
    if (h.variable !== null || h.relative || h.bytesAt(limit) <= share * limit) continue;
    limit = roundUpClean(Math.ceil(h.bytesAt(limit) / share));
    notes.push(`raised so that ${h.flag} (set in the command) is at most ${share * 100}% of it`);
  }
  const env: Record<string, string> = {};
  for (const h of found) {
    const share = CEILING_SHARE[h.runtime];
    if (h.bytesAt(limit) <= share * limit) continue;
    const target = Math.floor(share * limit);
    const changes = h.lowered(target);
    if (!changes) continue;
    Object.assign(env, changes);
    notes.push(`${h.variable} lowered to ${h.advice(target)} (${share * 100}% of the limit)`);
  }
  // the ceilings once the fix is applied, read back from the changed env rather than assumed
  const after = heapCeilings({ ...c, env: { ...(c.env ?? {}), ...env } });
  const ceilings: CeilingPlan[] = found.map((h) => {
    const share = CEILING_SHARE[h.runtime];
    const afterBytes = (after.find((x) => x.runtime === h.runtime) ?? h).bytesAt(limit);
    const currentBytes = current === null ? null : h.bytesAt(current);
    return {
      ceiling: h, share, currentBytes, atRecommendedBytes: h.bytesAt(limit), afterBytes,
      lowered: h.variable !== null && env[h.variable] !== undefined,
    };
  });

  let request = roundUpClean(stats.p50);
  const half = roundUpClean(limit / 2);
  // Stryker disable next-line EqualityOperator: `<=` and `>=` are equivalent below (the same value is assigned)
  if (request < half) request = half;
  // Stryker disable next-line EqualityOperator: see above
  if (request > limit) request = limit;
  const noChange = current === limit && c.requestBytes === request && Object.keys(env).length === 0;
  const rec: Recommendation = { profile, requestBytes: request, limitBytes: limit, request: formatQuantity(request), limit: formatQuantity(limit), basis: notes.join("; "), noChange };
  return { rec, env, ceilings, noChange };
}

/** The recommended request and limit alone (see planSizing). */
export const recommend = (c: ContainerInput, stats: Summary, oomKilled: boolean, leak = false): Recommendation => planSizing(c, stats, { oomKilled, leak }).rec;

type Pricing = { currency?: string | null; perGiBMonth?: number | null } | null | undefined;

/** Effective memory request: Kubernetes defaults a missing request to the limit (0 with neither). */
export const effectiveRequestBytes = (c: ContainerInput) => c.requestBytes ?? c.limitBytes ?? 0;

const replicasOf = (c: ContainerInput) => Math.max(1, Math.round(c.workload?.replicas ?? 1));
const cents = (v: number) => Math.round(v * 100) / 100;

/** Monthly cost of `bytes` of memory request per replica and times the replicas, rounded to cents: the one cost rule. */
function monthly(c: ContainerInput, bytes: number, pricing: { currency?: string | null; perGiBMonth: number }) {
  const replicas = replicasOf(c);
  const perReplica = (bytes / Gi) * pricing.perGiBMonth;
  return { currency: pricing.currency ?? "USD", replicas, perReplica: cents(perReplica), total: cents(perReplica * replicas) };
}

/** Monthly cost change on the effective request (the request, or the limit where none is set). */
export function costDelta(c: ContainerInput, rec: Pick<Recommendation, "requestBytes"> & Partial<Recommendation>, pricing: Pricing): AnalysisOutput["cost"] {
  if (!pricing || typeof pricing.perGiBMonth !== "number") return null;
  const m = monthly(c, rec.requestBytes - effectiveRequestBytes(c), { currency: pricing.currency, perGiBMonth: pricing.perGiBMonth });
  return { currency: m.currency, replicas: m.replicas, monthlyDeltaPerReplica: m.perReplica, monthlyDeltaTotal: m.total };
}

/** What the container's effective memory request costs a month today, per replica and in total (null without a price). */
export function requestCost(c: ContainerInput, pricing: Pricing): { currency: string; replicas: number; monthlyPerReplica: number; monthlyTotal: number } | null {
  if (!pricing || typeof pricing.perGiBMonth !== "number") return null;
  const m = monthly(c, effectiveRequestBytes(c), { currency: pricing.currency, perGiBMonth: pricing.perGiBMonth });
  return { currency: m.currency, replicas: m.replicas, monthlyPerReplica: m.perReplica, monthlyTotal: m.total };
}
