import { backtest } from "./backtest";
import { fixCommands } from "./commands";
import { podTrend, type PodSeriesArrays, type PodTrend } from "./cycles";
import { profilingFinding, specFindings } from "./findings";
import { formatQuantity, mib } from "./quantity";
import { costDelta, recommend } from "./recommend";
import { clamp01, summarizeAll, type Summary } from "./stats";
import type { Alert, AnalysisInput, AnalysisOutput, ContainerInput, Finding, Pattern, Termination } from "./types";

export * from "./types";
export { InputError, parseAnalysisInput } from "./validate";
export { formatQuantity, roundUpClean } from "./quantity";

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
  const pods: PodArrays[] = input.pods
    ? input.pods.map((p) => ({ name: p.name, ...toArrays(p.series.workingSet), terminations: p.terminations ?? [] }))
    : [{ name: input.container.pod ?? input.container.name, ...toArrays(input.series!.workingSet), terminations: input.terminations ?? [] }];
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

/** The verdict for one workload container from its pods' working-set history. Pure: `now` comes from the caller. */
export function analyzeContainer(q: {
  now: number;
  container: ContainerInput;
  pods: PodArrays[];
  pricing?: AnalysisInput["pricing"];
  /**
   * Statistics of the raw samples when the series are a coarser summary of them (Prometheus folds
   * 1-minute samples into max-per-step series for trends and computes the percentiles itself).
   */
  rawStats?: { stats: Summary; samples: number } | undefined;
}): AnalysisOutput {
  const c = q.container;
  const limit = c.limitBytes ?? null;
  const series: PodSeriesArrays[] = q.pods.map((p) => {
    let n = p.t.length;
    while (n > 0 && p.t[n - 1]! > q.now) n--; // samples after `now` are not evidence yet
    const terms = p.terminations.filter((x) => x.at <= q.now);
    return {
      name: p.name,
      t: n === p.t.length ? p.t : p.t.subarray(0, n),
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
  series.forEach((x, i) => (x.max = maxes[i]!));
  const stats = q.rawStats && total > 0 ? q.rawStats.stats : seriesStats;
  const oomKills = series.reduce((n, s) => n + s.ooms.length, 0);
  const windowSeconds = total ? last - first : 0;
  const findings: Finding[] = specFindings(c);
  const roundedStats = { mean: Math.round(stats.mean), p50: Math.round(stats.p50), p95: Math.round(stats.p95), p99: Math.round(stats.p99), max: Math.round(stats.max) };
  const evidence = { samples: q.rawStats && total > 0 ? q.rawStats.samples : total, pods: series.length, cycles: 0, oomKills, windowHours: Math.round((windowSeconds / HOUR) * 10) / 10 };

  const latest = series.reduce((m, s) => (s.t.length ? Math.max(m, s.ws[s.t.length - 1]!) : m), -Infinity);
  const usageOfLimit = limit && Number.isFinite(latest) ? round(latest / limit, 3) : null;
  const alert: Alert = usageOfLimit === null ? "none" : usageOfLimit >= 0.95 ? "critical" : usageOfLimit >= 0.85 ? "warning" : "none";

  if (total < MIN_SAMPLES || windowSeconds < MIN_WINDOW_SECONDS) {
    return {
      pattern: "insufficient_data", confidence: 1, leakConfidence: 0, growthBytesPerHour: null, timeToOomHours: null,
      usageOfLimit, alert, stats: roundedStats, findings, recommendation: null, backtest: null, cost: null, commands: null,
      summary: `Not enough data: ${total} samples over ${Math.round(windowSeconds / 60)} minutes; the verdict needs at least ${MIN_SAMPLES} samples over an hour.`,
      evidence,
    };
  }

  const scale = limit ?? stats.max;
  const trends = series.map((s) => podTrend(s, scale));
  evidence.cycles = trends.reduce((n, t) => n + t.cycles.length, 0);
  const leakConfidence = round(Math.max(0, ...trends.map(podLeakConfidence)), 2);
  const growth = currentGrowth(trends, limit, scale);
  const { pattern, confidence } = classify(stats, limit, oomKills, leakConfidence);

  if (pattern === "leak") findings.push(profilingFinding(c, growth.pod ?? c.pod ?? null));
  if (oomKills > 0 && limit !== null && stats.max < 0.85 * limit) {
    findings.push({
      code: "oom_between_scrapes", severity: "info",
      message: `The container was OOMKilled ${oomKills} times although no sample came near the ${formatQuantity(limit)} limit (max ${mib(stats.max)}): the spikes are shorter than the scrape interval.`,
    });
  }
  const rec = recommend(c, stats, oomKills > 0);
  return {
    pattern,
    confidence,
    leakConfidence,
    growthBytesPerHour: growth.bytesPerHour === null ? null : Math.round(growth.bytesPerHour),
    timeToOomHours: growth.hours === null ? null : round(growth.hours, 1),
    usageOfLimit,
    alert,
    stats: roundedStats,
    findings,
    recommendation: rec,
    backtest: backtest(series, trends, rec.limitBytes, limit, pattern === "leak"),
    cost: costDelta(c, rec, q.pricing),
    commands: fixCommands(c, rec),
    summary: summarize1(pattern, stats, limit, oomKills, { ...growth, hours: growth.hours === null ? null : round(growth.hours, 1) }, windowSeconds),
    evidence,
  };
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
    const growing = t.currentSteady && perHour * 24 >= 0.01 * scale;
    const hours = growing && limit !== null ? Math.max(0, (limit - t.latestBytes) / perHour) : null;
    if (hours !== null && (best.hours === null || hours < best.hours)) best = { bytesPerHour: perHour, hours, pod: t.name };
    else if (best.hours === null && (best.bytesPerHour === null || perHour > best.bytesPerHour)) best = { bytesPerHour: perHour, hours: null, pod: t.name };
  }
  return best;
}

function classify(s: Summary, limit: number | null, ooms: number, leak: number): { pattern: Pattern; confidence: number } {
  if (leak >= 0.6) return { pattern: "leak", confidence: leak };
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

function inWords(hours: number): string {
  if (hours < 1) return `in about ${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `in about ${Math.round(hours)} hour${Math.round(hours) === 1 ? "" : "s"}`;
  return `in about ${Math.round(hours / 24)} days`;
}

function summarize1(pattern: Pattern, s: Summary, limit: number | null, ooms: number, growth: { bytesPerHour: number | null; hours: number | null }, windowSeconds: number): string {
  const days = windowSeconds / 86_400;
  const span = days >= 1.5 ? `${Math.round(days)} days` : `${Math.round(windowSeconds / HOUR)} hours`;
  const kills = ooms === 0 ? "no OOMKills" : `${ooms} OOMKill${ooms === 1 ? "" : "s"}`;
  const pct = (v: number) => (limit ? `${Math.round((v / limit) * 100)}%` : mib(v));
  switch (pattern) {
    case "leak": {
      const rate = growth.bytesPerHour !== null ? `Memory grows ${mib(growth.bytesPerHour)}/h and never plateaus` : "Memory grows in every restart cycle and never plateaus";
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
    default:
      return "Not enough data.";
  }
}
