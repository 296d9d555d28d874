import type { PodSeriesArrays, PodTrend } from "./cycles";
import { formatQuantity } from "./quantity";
import type { Backtest } from "./types";

/** What one pod contributes to a backtest, whatever limit is replayed: compact enough to send to a browser. */
export interface BacktestPod {
  /** its largest working set */
  max: number;
  /** OOMKills observed */
  ooms: number;
  /** outside a leak: the demand each kill is estimated at (see estimatedPeak) */
  killDemands: number[];
  /** a leak: the mean growth of its cycles ended by an OOMKill and their lowest restart floor; null without such a cycle */
  leak: { growth: number; floor: number } | null;
}

/** Everything a backtest reads from the window, for any proposed limit (the what-if replays it in the browser). */
export interface BacktestBasis {
  pods: BacktestPod[];
  oldLimit: number | null;
  isLeak: boolean;
}

/** The window reduced to what a backtest reads: each pod's peak, its kills' estimated demand or its leak's growth and floor. */
export function backtestBasis(pods: PodSeriesArrays[], trends: PodTrend[], oldLimit: number | null, isLeak: boolean): BacktestBasis {
  return {
    oldLimit, isLeak,
    pods: pods.map((p, idx) => {
      const out: BacktestPod = { max: p.max ?? maxOf(p.ws), ooms: p.ooms.length, killDemands: [], leak: null };
      // Stryker disable next-line ConditionalExpression: a pod without kills adds nothing either way (none kept, none avoided, no demand); the return only skips the work
      if (p.ooms.length === 0) return out;
      if (isLeak) {
        // with steady growth g from a restart floor b, the cycle lasts (limit - b) / g
        const cycles = trends[idx]!.cycles.filter((c) => c.endedByOom && c.slope > 0);
        // only the growth's sign matters in the replay: its size cancels out of oldCycle / newCycle, so a sum would do as well as the mean
        // Stryker disable next-line ArithmeticOperator: see above
        if (cycles.length) out.leak = { growth: cycles.reduce((s, c) => s + c.slope, 0) / cycles.length, floor: Math.min(...cycles.map((c) => valueAt(p, c.start))) };
        return out;
      }
      out.killDemands = p.ooms.map((kill) => estimatedPeak(p, kill, oldLimit));
      return out;
    }),
  };
}

/**
 * Replays the window against a proposed limit: which observed OOMKills it would have avoided, and the
 * least headroom it would have left. A leak's kills are replayed with its growth (a higher limit
 * only lengthens the cycle); other kills by the demand that reached the old limit, extrapolated one
 * scrape past the last sample.
 */
export function replayBacktest(b: BacktestBasis, limitBytes: number, heap: { flag: string; afterBytes: number } | null = null): Backtest {
  const { oldLimit, isLeak } = b;
  // a heap ceiling at or above the new limit lets the heap grow into it: no kill can be called avoided
  const heapFills = heap !== null && heap.afterBytes >= limitBytes;
  let observed = 0;
  let avoided = 0;
  let tightest = Infinity;
  for (const p of b.pods) {
    tightest = Math.min(tightest, limitBytes - p.max);
    observed += p.ooms;
    if (p.ooms === 0) continue;
    if (isLeak) {
      // the guards below are belt and braces: without a growing cycle nothing is kept; without an old limit
      // (null counts as 0 there) oldCycle would be negative, and without growth newCycle is infinite: either way nothing is kept.
      const growth = p.leak?.growth ?? 0;
      const floor = p.leak?.floor ?? 0;
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: see above
      const oldCycle = oldLimit !== null && growth > 0 ? (oldLimit - floor) / growth : 0;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      const newCycle = growth > 0 ? (limitBytes - floor) / growth : Infinity;
      // Stryker disable next-line EqualityOperator: an old cycle of exactly 0 keeps floor(0) = 0 kills as well (it differs only if the old limit, the new one and the restart floor are all equal, a process that starts at its limit)
      const kept = oldCycle > 0 && Number.isFinite(newCycle) ? Math.floor((p.ooms * oldCycle) / newCycle) : 0;
      avoided += Math.max(0, p.ooms - kept);
      if (kept > 0) tightest = Math.min(tightest, 0); // it still reaches the new limit
      continue;
    }
    for (const peak of p.killDemands) {
      if (peak < limitBytes && !heapFills) avoided++;
      tightest = Math.min(tightest, limitBytes - peak);
    }
  }
  if (!Number.isFinite(tightest)) tightest = limitBytes;
  const remaining = observed - avoided;
  // say what the estimate rests on: a kill only proves demand reached the old limit (read only by the notes about kills outside a leak)
  const basis = ` Estimate: each kill counts as demand of at least the ${oldLimit !== null ? formatQuantity(oldLimit) : "old"} limit it hit, or the last samples' rise continued one scrape, whichever is higher; demand above that is not visible in the metrics.${heap && !heapFills ? ` It assumes the heap stays under ${heap.flag}, as the fix sets it.` : ""}`;
  const note =
    observed === 0
      ? `No OOMKill in the window; the tightest moment would have left ${formatQuantity(Math.max(0, Math.round(tightest / 1048576)) * 1048576)} free.`
      : isLeak
        ? `At the observed growth, ${formatQuantity(limitBytes)} would have cut ${observed} OOMKills to ${remaining}: it buys time, the leak still needs fixing.`
        : heapFills
          ? `None of the ${observed} OOMKills counts as avoided: ${heap!.flag} lets the heap grow to ${formatQuantity(Math.round(heap!.afterBytes / 1048576) * 1048576)}, at or above ${formatQuantity(limitBytes)}, so the kernel can still kill it there.`
          : remaining === 0
            ? `All ${observed} OOMKills would have been avoided; the tightest moment would have left ${Math.max(0, Math.round((tightest / limitBytes) * 100))}% of the limit free.${basis}`
            : `${avoided} of ${observed} OOMKills would have been avoided; ${remaining} had demand estimated above ${formatQuantity(limitBytes)}.${basis}`;
  return {
    observedOomKills: observed,
    avoidedOomKills: avoided,
    tightestHeadroomBytes: Math.round(tightest),
    tightestHeadroomRatio: Math.round((tightest / limitBytes) * 1000) / 1000,
    note,
  };
}

/** The backtest of `limitBytes` over the window (backtestBasis, then replayBacktest). */
export function backtest(
  pods: PodSeriesArrays[], trends: PodTrend[], limitBytes: number, oldLimit: number | null, isLeak: boolean,
  heap: { flag: string; afterBytes: number } | null = null,
): Backtest {
  return replayBacktest(backtestBasis(pods, trends, oldLimit, isLeak), limitBytes, heap);
}

/** Largest value; a plain function so the hot loop keeps its locals in registers. */
function maxOf(a: Float64Array): number {
  let m = -Infinity;
  // Stryker disable next-line EqualityOperator: a[a.length] is undefined and never greater, and >= assigns an equal value
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

function valueAt(p: PodSeriesArrays, at: number): number {
  let lo = 0;
  let hi = p.t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.t[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return p.ws[lo] ?? 0;
}

/** Demand at a kill: at least the limit it was killed at, and the last samples' rise continued for one more step. */
function estimatedPeak(p: PodSeriesArrays, kill: number, oldLimit: number | null): number {
  let i = -1;
  // Stryker disable next-line ArithmeticOperator: indices past the end read undefined, which is never <= kill, so the search ends at the same index
  for (let lo = 0, hi = p.t.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (p.t[mid]! <= kill) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const last = i >= 0 ? p.ws[i]! : 0;
  const prev = i >= 1 ? p.ws[i - 1]! : last;
  const extrapolated = last + Math.max(0, last - prev);
  return Math.max(oldLimit ?? 0, extrapolated);
}

/**
 * Hours a leaking container would run between kills at `limitBytes`: from the lowest restart floor of
 * its cycles to the limit at `growthBytesPerHour`. Null without growth.
 */
export function hoursBetweenKills(pods: PodSeriesArrays[], trends: PodTrend[], limitBytes: number, growthBytesPerHour: number | null): number | null {
  // Stryker disable next-line ConditionalExpression: null <= 0 is true in JavaScript; the null test is there for the type checker
  if (growthBytesPerHour === null || growthBytesPerHour <= 0) return null;
  let floor = Infinity;
  pods.forEach((p, i) => {
    for (const c of trends[i]?.cycles ?? []) floor = Math.min(floor, valueAt(p, c.start));
  });
  if (!Number.isFinite(floor)) return null;
  return Math.max(0, (limitBytes - floor) / growthBytesPerHour);
}
