import { fewerReplicas, type FewerReplicas } from "./alternatives";
import { backtestBasis, hoursBetweenKills, replayBacktest } from "./backtest";
import { fixCommands } from "./commands";
import { podTrend, type PodSeriesArrays, type PodTrend } from "./cycles";
import { AnalysisError } from "./errors";
import { profilingFinding, specFindings } from "./findings";
import { formatQuantity, mib } from "./quantity";
import { costDelta, planSizing, type SizingPlan } from "./recommend";
import { CEILING_SHARE, heapCeilings, runtimeName } from "./runtime";
import { whatIfBasis, type WhatIfBasis } from "./what-if";
import { clamp01, summarizeAll, type Summary } from "./stats";
import type { Alert, AnalysisInput, AnalysisOutput, ContainerInput, Finding, HeapCeilingOutput, Pattern, Termination } from "./types";

export * from "./types";
export { InputError, parseAnalysisInput } from "./validate";
export { AnalysisError } from "./errors";
export { formatQuantity, roundUpClean } from "./quantity";
export { invalidName, isDnsLabel, isDnsSubdomain } from "./names";
export { shellJoin, shellQuote } from "./shell";
export { costDelta, effectiveRequestBytes, requestCost } from "./recommend";
export type { FewerReplicas } from "./alternatives";
export type { WhatIfBasis } from "./what-if";

const HOUR = 3600;
const MIN_SAMPLES = 12;
const MIN_WINDOW_SECONDS = HOUR;

/** One pod's samples as typed arrays, as the metrics sources deliver them. */
export interface PodArrays {
  name: string;
  t: Float64Array;
  workingSet: Float64Array;
  terminations: Termination[];
}

/** Contract entry point: analyses an `analyze` input (already validated) and returns the verdict. */
export function analyzeInput(input: AnalysisInput): AnalysisOutput {
  // a mutated `?? []` holding a string is equivalent: a string has no numeric `at`, so the filter on `at <= now` drops it
  const pods: PodArrays[] = input.pods
    ? input.pods.map((p) => ({
        name: p.name,
        ...toArrays(p.series.workingSet),
        // Stryker disable next-line ArrayDeclaration: see above
        terminations: p.terminations ?? [],
      }))
    : [{
        name: input.container.pod ?? input.container.name,
        ...toArrays(input.series!.workingSet),
        // Stryker disable next-line ArrayDeclaration: see above
        terminations: input.terminations ?? [],
      }];
  return analyzeContainer({ now: input.now, container: input.container, pods, pricing: input.pricing });
}

function toArrays(samples: [number, number][]) {
  const t = new Float64Array(samples.length);
  const workingSet = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    t[i] = samples[i]![0];
    workingSet[i] = samples[i]![1];
  }
  return { t, workingSet };
}

type ContainerQuery = Parameters<typeof analyzeContainerDetailed>[0];

/** The verdict for one workload container from its pods' working-set history. Pure: `now` comes from the caller. */
export const analyzeContainer = (q: ContainerQuery): AnalysisOutput => analyzeContainerDetailed(q).analysis;

/** The verdict, with what the container page adds to it: the what-if's basis and the fewer-replicas alternative (null without a recommendation). */
export interface ContainerAnalysis {
  analysis: AnalysisOutput;
  whatIf: WhatIfBasis | null;
  fewerReplicas: FewerReplicas | null;
}

/** The verdict for one workload container, with the what-if basis and the fewer-replicas alternative. Pure: `now` comes from the caller. */
export function analyzeContainerDetailed(q: {
  now: number;
  container: ContainerInput;
  pods: PodArrays[];
  pricing?: AnalysisInput["pricing"];
  /**
   * Statistics of the raw samples when the series are a coarser summary of them (Prometheus folds
   * 1-minute samples into max-per-step series for trends and computes the percentiles itself).
   */
  rawStats?: { stats: Summary; samples: number } | undefined;
}): ContainerAnalysis {
  const c = q.container;
  const limit = c.limitBytes ?? null;
  const series: PodSeriesArrays[] = q.pods.map((p) => {
    let n = p.t.length;
    // samples after `now` are not evidence yet
    while (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: at n = 0, p.t[-1] is undefined and never > now, so the loop stops there anyway
      n > 0 &&
      p.t[n - 1]! > q.now
    ) n--;
    const terms = p.terminations.filter((x) => x.at <= q.now);
    // the subarray of all samples equals the array: the comparisons below only save a view
    return {
      name: p.name,
      // Stryker disable next-line ConditionalExpression: see above
      t: n === p.t.length ? p.t : p.t.subarray(0, n),
      // Stryker disable next-line ConditionalExpression: see above
      ws: n === p.t.length ? p.workingSet : p.workingSet.subarray(0, n),
      restarts: terms.map((x) => x.at),
      ooms: terms.filter((x) => x.reason === "OOMKilled").map((x) => x.at),
    };
  });
  let total = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const s of series) {
    total += s.t.length;
    if (s.t.length) {
      first = Math.min(first, s.t[0]!);
      last = Math.max(last, s.t[s.t.length - 1]!);
    }
  }
  // one pass per pod finds the statistics and each pod's peak, which cycles and backtest both need
  const { summary: seriesStats, maxes } = summarizeAll(series.map((x) => x.ws));
  // Stryker disable next-line ArrowFunction: the peak is a cache; without it splitCycles and backtest scan for the same value
  series.forEach((x, i) => (x.max = maxes[i]!));
  if (q.rawStats && total > 0) assertPlausible(q.rawStats.stats, seriesStats);
  const stats = q.rawStats && total > 0 ? q.rawStats.stats : seriesStats;
  const oomKills = series.reduce((n, s) => n + s.ooms.length, 0);
  const windowSeconds = total ? last - first : 0;
  let findings: Finding[] = specFindings(c);
  const roundedStats = { mean: Math.round(stats.mean), p50: Math.round(stats.p50), p95: Math.round(stats.p95), p99: Math.round(stats.p99), max: Math.round(stats.max) };
  const evidence = { samples: q.rawStats && total > 0 ? q.rawStats.samples : total, pods: series.length, cycles: 0, oomKills, windowHours: Math.round((windowSeconds / HOUR) * 10) / 10 };

  const latest = series.reduce((m, s) => (s.t.length ? Math.max(m, s.ws[s.t.length - 1]!) : m), -Infinity);
  const usageOfLimit = limit && Number.isFinite(latest) ? round(latest / limit, 3) : null;
  const alert: Alert =
    // Stryker disable next-line ConditionalExpression: null >= 0.95 and null >= 0.85 are false, so a null usage is "none" either way
    usageOfLimit === null
      ? "none"
      : usageOfLimit >= 0.95 ? "critical" : usageOfLimit >= 0.85 ? "warning" : "none";

  if (total < MIN_SAMPLES || windowSeconds < MIN_WINDOW_SECONDS) {
    return { whatIf: null, fewerReplicas: null, analysis: {
      pattern: "insufficient_data", confidence: 1, leakConfidence: 0, growthBytesPerHour: null, timeToOomHours: null,
      usageOfLimit, alert, stats: roundedStats, findings, recommendation: null, backtest: null, cost: null, commands: null, heapCeilings: ceilingsOut(c, null),
      summary: `Not enough data: ${total} samples over ${Math.round(windowSeconds / 60)} minutes; the verdict needs at least ${MIN_SAMPLES} samples over an hour.`,
      evidence,
    } };
  }

  const scale = limit ?? stats.max;
  const trends = series.map((s) => podTrend(s, scale));
  evidence.cycles = trends.reduce((n, t) => n + t.cycles.length, 0);
  const leakConfidence = round(Math.max(0, ...trends.map(podLeakConfidence)), 2);
  const growth = currentGrowth(trends, limit, scale);
  const { pattern, confidence } = classify(stats, limit, oomKills, leakConfidence);

  const plan = planSizing(c, stats, { oomKilled: oomKills > 0, leak: pattern === "leak" });
  findings = specFindings(c, plan);
  if (pattern === "leak") findings.push(profilingFinding(c, growth.pod ?? c.pod ?? null));
  if (
    oomKills > 0 &&
    // Stryker disable next-line ConditionalExpression: without a limit 0.85 * null is 0, and no maximum is below 0
    limit !== null &&
    stats.max < 0.85 * limit
  ) {
    findings.push({
      code: "oom_between_scrapes", severity: "info",
      message: `The container was OOMKilled ${oomKills} times although no sample came near the ${formatQuantity(limit)} limit (max ${mib(stats.max)}): the spikes are shorter than the scrape interval.`,
    });
  }
  const rec = plan.rec;
  // the fix's heap ceiling closest to the new limit decides whether the backtest may count kills as avoided
  const heap = plan.ceilings.reduce<{ flag: string; afterBytes: number } | null>(
    (m, p) => (m === null || p.afterBytes / rec.limitBytes > m.afterBytes / rec.limitBytes ? { flag: p.lowered ? p.ceiling.advice(p.afterBytes) : p.ceiling.flag, afterBytes: p.afterBytes } : m),
    null,
  );
  const hours = growth.hours === null ? null : round(growth.hours, 1);
  if (pattern === "leak") {
    const between = hoursBetweenKills(series, trends, rec.limitBytes, growth.bytesPerHour);
    if (
      between !== null &&
      // Stryker disable next-line ConditionalExpression: hoursBetweenKills is null when the growth is, so this only narrows the type
      growth.bytesPerHour !== null
    ) rec.basis += `; at ${mib(growth.bytesPerHour)}/h, ${rec.limit} gives ${between < 1 ? `about ${Math.max(1, Math.round(between * 60))} min` : `about ${Math.round(between)} h`} between kills — the leak still needs fixing`;
  }
  const btBasis = backtestBasis(series, trends, limit, pattern === "leak");
  const running = runningPods(series, last);
  const analysis: AnalysisOutput = {
    pattern,
    confidence,
    leakConfidence,
    growthBytesPerHour: growth.bytesPerHour === null ? null : Math.round(growth.bytesPerHour),
    timeToOomHours: hours,
    usageOfLimit,
    alert,
    stats: roundedStats,
    findings,
    recommendation: rec,
    backtest: replayBacktest(btBasis, rec.limitBytes, heap),
    cost: plan.noChange ? null : costDelta(c, rec, q.pricing),
    commands: plan.noChange ? null : fixCommands(c, rec, { env: plan.env, runningPods: running }),
    heapCeilings: ceilingsOut(c, plan),
    summary: summarize1(pattern, stats, limit, oomKills, { ...growth, hours }, windowSeconds, heapCause(plan, limit, oomKills, pattern)) + (plan.noChange ? " The sizing is right: the recommendation equals the current request and limit, nothing to change." : ""),
    evidence,
  };
  return {
    analysis,
    whatIf: whatIfBasis(c, btBasis, plan.ceilings.map((p) => p.ceiling), q.pricing, running),
    fewerReplicas: fewerReplicas(c, stats, { pattern, oomKilled: oomKills > 0, rec, pricing: q.pricing }),
  };
}

/** Impossible statistics are refused rather than recommended from (a broken percentile query must not shrink a limit). */
function assertPlausible(raw: Summary, series: Summary): void {
  const mi = (v: number) => mib(v);
  const fail = (why: string) => {
    throw new AnalysisError(`impossible statistics from the metrics source (${why}): p50 ${mi(raw.p50)}, p95 ${mi(raw.p95)}, p99 ${mi(raw.p99)}, mean ${mi(raw.mean)}, max ${mi(raw.max)}; refusing to recommend from them`);
  };
  for (const k of ["mean", "p50", "p95", "p99", "max"] as const) if (!Number.isFinite(raw[k]) || raw[k] < 0) fail(`${k} is not a non-negative number`);
  if (series.max > 0 && (raw.p50 <= 0 || raw.p95 <= 0 || raw.p99 <= 0)) fail("a percentile of 0 for a container with samples");
  // 0.5% slack: percentiles of a systematic sample may straddle each other by a sample's rounding
  const slack = 1.005;
  if (raw.p50 > raw.p95 * slack || raw.p95 > raw.p99 * slack) fail("percentiles out of order");
  if (raw.p99 > raw.max * slack || raw.mean > raw.max * slack) fail("p99 or the mean above the maximum");
}

/** Pods whose samples reach the end of the window: the ones running now, which an in-place resize can change. */
function runningPods(series: PodSeriesArrays[], last: number): string[] {
  return series
    .filter(
      (s) =>
        // Stryker disable next-line ConditionalExpression,EqualityOperator: a pod without samples reads s.t[-1], undefined, which is never >= a number
        s.t.length > 0 &&
        s.t[s.t.length - 1]! >= last - 900,
    )
    .map((s) => s.name);
}

function ceilingsOut(c: ContainerInput, plan: SizingPlan | null): HeapCeilingOutput[] {
  if (!plan) {
    return heapCeilings(c).map((h) => ({
      runtime: h.runtime, setting: h.flag, variable: h.variable, currentBytes: c.limitBytes == null ? (h.relative ? null : h.bytesAt(0)) : Math.round(h.bytesAt(c.limitBytes)),
      recommendedBytes: null, maxShareOfLimit: CEILING_SHARE[h.runtime], lowered: false,
    }));
  }
  return plan.ceilings.map((p) => ({
    runtime: p.ceiling.runtime, setting: p.ceiling.flag, variable: p.ceiling.variable, currentBytes: p.currentBytes,
    recommendedBytes: Math.round(p.afterBytes), maxShareOfLimit: p.share, lowered: p.lowered,
  }));
}

/** When a heap ceiling at or above the current limit is what kills the container, the verdict says so. */
function heapCause(plan: SizingPlan, limit: number | null, ooms: number, pattern: Pattern): string | null {
  if (
    ooms === 0 ||
    pattern === "leak" ||
    // Stryker disable next-line ConditionalExpression: without a limit every ceiling's currentBytes is null, so find() below finds none
    limit === null
  ) return null;
  // Stryker disable next-line ConditionalExpression: null >= limit is false for any positive limit; the null test narrows the type
  const p = plan.ceilings.find((x) => x.currentBytes !== null && x.currentBytes >= limit);
  if (!p) return null;
  const heap = p.ceiling.runtime === "go" ? "The Go heap's soft limit" : `The ${runtimeName(p.ceiling.runtime)} heap`;
  return `${heap} may grow past the limit: ${p.ceiling.flag} (${mib(p.currentBytes!)}) is at or above the ${formatQuantity(limit)} limit, so the kernel kills the process before ${p.ceiling.runtime === "go" ? "the runtime" : "the garbage collector"} has to work hard (${ooms} OOMKill${ooms === 1 ? "" : "s"}).`;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A pod's leak confidence: growing cycles, weighted by their length, counted more when the pattern repeats after kills. */
function podLeakConfidence(t: PodTrend): number {
  if (t.cycles.length === 0) return 0;
  let weight = 0;
  let score = 0;
  for (const c of t.cycles) {
    weight += c.buckets;
    score += c.leakScore * c.buckets;
  }
  const mean = score / weight;
  // Stryker disable next-line EqualityOperator: a score of exactly 0.5 is a cube root of products of measured floating-point ratios: no real input reaches it
  const repeatedKills = t.cycles.filter((c) => c.endedByOom && c.leakScore >= 0.5).length;
  const repetition = repeatedKills >= 2 ? 1 : repeatedKills === 1 ? 0.9 : 0.8;
  return clamp01(mean * repetition);
}

function currentGrowth(trends: PodTrend[], limit: number | null, scale: number) {
  let best: { bytesPerHour: number | null; hours: number | null; pod: string | null } = { bytesPerHour: null, hours: null, pod: null };
  for (const t of trends) {
    if (t.currentSlope === null) continue;
    const perHour = t.currentSlope * HOUR;
    // growing means steady growth of at least 1% of the limit a day; slower is noise or seasonality
    // Stryker disable next-line EqualityOperator: growth of exactly 1% a day is a floating-point fit slope: no real input lands on it
    const growing = t.currentSteady && perHour * 24 >= 0.01 * scale;
    const hours = growing && limit !== null ? Math.max(0, (limit - t.latestBytes) / perHour) : null;
    if (hours !== null && (best.hours === null || hours < best.hours)) best = { bytesPerHour: perHour, hours, pod: t.name };
    else if (best.hours === null && (best.bytesPerHour === null || perHour > best.bytesPerHour)) best = { bytesPerHour: perHour, hours: null, pod: t.name };
  }
  return best;
}

/** The pattern and its confidence from the statistics, the limit, the OOMKills and the leak confidence. */
export function classify(s: Summary, limit: number | null, ooms: number, leak: number): { pattern: Pattern; confidence: number } {
  // a statistical verdict never claims certainty: capped at 0.99 like the other patterns
  if (leak >= 0.6) return { pattern: "leak", confidence: round(Math.min(0.99, leak), 2) };
  const notLeak = 1 - leak;
  const burst = s.p95 > 0 ? clamp01((s.max / s.p95 - 1.15) / 0.6) : 0;
  if (limit === null) {
    return ooms > 0 ? { pattern: "spike", confidence: round(0.5 + 0.4 * burst * notLeak, 2) } : { pattern: "healthy", confidence: 0.6 };
  }
  const r95 = s.p95 / limit;
  const near = clamp01((r95 - 0.75) / 0.2);
  if (ooms > 0 ? r95 >= 0.8 : r95 >= 0.9) return { pattern: "limit_too_low", confidence: round(Math.min(0.99, 0.5 + 0.45 * near * notLeak + (ooms > 0 ? 0.04 : 0)), 2) };
  if (ooms > 0 || (s.max >= 0.85 * limit && s.max / s.p95 >= 1.3)) {
    return { pattern: "spike", confidence: round(Math.min(0.99, 0.5 + 0.45 * Math.max(burst, ooms > 0 ? 0.6 : 0) * notLeak), 2) };
  }
  const room = clamp01((0.85 - s.p99 / limit) / 0.35);
  return { pattern: "healthy", confidence: round(0.55 + 0.4 * room, 2) };
}

/** Time to the next OOMKill in the summary's words: minutes under an hour, hours under two days, then days. */
export function inWords(hours: number): string {
  if (hours < 1) {
    const minutes = Math.max(1, Math.round(hours * 60));
    return `in about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  if (hours < 48) return `in about ${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  return `in about ${Math.round(hours / 24)} days`;
}

function summarize1(pattern: Pattern, s: Summary, limit: number | null, ooms: number, growth: { bytesPerHour: number | null; hours: number | null }, windowSeconds: number, heapCause: string | null): string {
  if (heapCause) return heapCause;
  const days = windowSeconds / 86_400;
  const span = days >= 1.5 ? `${Math.round(days)} days` : `${Math.round(windowSeconds / HOUR)} hours`;
  const kills = ooms === 0 ? "no OOMKills" : `${ooms} OOMKill${ooms === 1 ? "" : "s"}`;
  const pct = (v: number) => (limit ? `${Math.round((v / limit) * 100)}%` : mib(v));
  switch (pattern) {
    case "leak": {
      // a leak always has a growth rate: its most leaking pod has a cycle scoring 0.5 or more, so a current slope (the
      // fallback sentence only narrows the type)
      const rate =
        // Stryker disable next-line ConditionalExpression: see above
        growth.bytesPerHour !== null
          ? `Memory grows ${mib(growth.bytesPerHour)}/h and never plateaus`
          : // Stryker disable next-line StringLiteral: see above
            "Memory grows in every restart cycle and never plateaus";
      return growth.hours !== null ? `${rate}; next OOMKill ${inWords(growth.hours)}.` : `${rate}: a leak (${kills} in ${span}).`;
    }
    case "limit_too_low":
      return `Usage plateaus at ${pct(s.p95)} of the ${formatQuantity(limit!)} limit (p99 ${mib(s.p99)}) with ${kills} in ${span}: the limit is too low, not a leak.`;
    case "spike":
      return `Usage sits around ${pct(s.p50)} of the limit but bursts ${ooms > 0 ? "past it" : "towards it"}: ${kills} in ${span} (p95 ${mib(s.p95)}, max ${mib(s.max)}).`;
    case "healthy":
      return limit && s.p99 < 0.4 * limit
        ? `Healthy and over-provisioned: p99 uses ${pct(s.p99)} of the ${formatQuantity(limit)} limit.`
        : `Healthy: p99 at ${pct(s.p99)} of the ${limit ? `${formatQuantity(limit)} limit` : "observed range"}, ${kills} in ${span}.`;
    // insufficient data returns before the summary is written
    // Stryker disable next-line ConditionalExpression: see above
    default:
      // Stryker disable next-line StringLiteral: see above
      return "Not enough data.";
  }
}
