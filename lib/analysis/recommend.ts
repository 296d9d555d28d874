import { formatQuantity, Gi, nextCleanAbove, roundUpClean } from "./quantity";
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

/**
 * Request and limit by the domain guide: the profile's statistic plus headroom, rounded up to a clean
 * quantity; never at or below a limit the container was OOMKilled at; request at steady state, within 2x.
 */
export function recommend(c: ContainerInput, stats: Summary, oomKilled: boolean): Recommendation {
  const profile = profileOf(c.workload?.kind);
  const rule = RULES[profile];
  const raw = stats[rule.stat] * rule.factor;
  let limit = roundUpClean(raw);
  let basis = `${rule.stat} of working set + ${Math.round((rule.factor - 1) * 100)}% = ${formatQuantity(Math.round(raw / 1048576) * 1048576)}, rounded up`;
  const current = c.limitBytes ?? null;
  if (oomKilled && current !== null && limit <= current) {
    // the kills prove usage reaches the current limit, even where scrapes missed the peak
    limit = nextCleanAbove(current);
    basis += `; raised above the ${formatQuantity(current)} limit it was OOMKilled at`;
  }
  let request = roundUpClean(stats.p50);
  const floor = roundUpClean(limit / 2);
  if (request < floor) request = floor;
  if (request > limit) request = limit;
  return { profile, requestBytes: request, limitBytes: limit, request: formatQuantity(request), limit: formatQuantity(limit), basis };
}

/** Monthly cost change on the effective request (the request, or the limit where none is set). */
export function costDelta(c: ContainerInput, rec: Recommendation, pricing: { currency?: string | null; perGiBMonth?: number | null } | null | undefined): AnalysisOutput["cost"] {
  if (!pricing || typeof pricing.perGiBMonth !== "number") return null;
  const replicas = Math.max(1, Math.round(c.workload?.replicas ?? 1));
  const current = c.requestBytes ?? c.limitBytes ?? 0;
  const perReplica = ((rec.requestBytes - current) / Gi) * pricing.perGiBMonth;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { currency: pricing.currency ?? "USD", replicas, monthlyDeltaPerReplica: round(perReplica), monthlyDeltaTotal: round(perReplica * replicas) };
}
