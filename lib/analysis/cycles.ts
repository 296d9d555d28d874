import { clamp01, fitLine } from "./stats";

export interface PodSeriesArrays {
  name: string;
  t: Float64Array;
  ws: Float64Array;
  /** every termination of this pod's container (a restart boundary), unix s */
  restarts: number[];
  /** of those, the OOMKills */
  ooms: number[];
  /** largest working set, when the caller already knows it */
  max?: number;
}

export interface CycleTrend {
  start: number;
  end: number;
  endedByOom: boolean;
  buckets: number;
  /** growth of the post-GC floor, bytes per second */
  slope: number;
  r2: number;
  /** share of successive bucket floors that rose */
  fractionRising: number;
  /** second-half slope / first-half slope: near 0 for a plateau, near 1 for steady growth */
  halfRatio: number;
  /** growth over the cycle as a fraction of `scale` */
  relativeGrowth: number;
  /** how much this cycle looks like a leak, 0..1 */
  leakScore: number;
}

export interface PodTrend {
  name: string;
  cycles: CycleTrend[];
  latestBytes: number;
  latestAt: number;
  /** growth in the current restart cycle, bytes/s (null when it cannot be measured) */
  currentSlope: number | null;
  /** whether the current cycle grows steadily (not a warm-up step or a wobble) */
  currentSteady: boolean;
}

const HOUR = 3600;

/** Index ranges [from, to) of the restart cycles of one pod: split at terminations and at restarts the samples show. */
export function splitCycles(p: PodSeriesArrays): [number, number][] {
  const { t, ws } = p;
  const n = t.length;
  if (n === 0) return [];
  const restarts = [...p.restarts].sort((a, b) => a - b);
  let max = p.max ?? -Infinity;
  // Stryker disable next-line EqualityOperator: ws[n] is undefined and never greater, and >= assigns an equal value
  if (p.max === undefined) for (let i = 0; i < n; i++) if (ws[i]! > max) max = ws[i]!;
  const high = 0.6 * max;
  const out: [number, number][] = [];
  let from = 0;
  let r = 0;
  // The skips and guards below only save work: a restart at or before the first sample is consumed at i = 1 without a
  // boundary (it is not after t[0]); every restart still unconsumed at i is after t[i - 1]; restarts[r] past the end is
  // undefined, and no comparison with undefined holds, so `< length` guards and an undefined nextRestart stop the same way.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
  while (r < restarts.length && restarts[r]! <= t[0]!) r++;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
  let nextRestart = r < restarts.length ? restarts[r]! : Infinity;
  // Stryker disable next-line EqualityOperator: at i = n, t[n] and ws[n] are undefined: neither test below holds
  for (let i = 1; i < n; i++) {
    let boundary = false;
    // Stryker disable next-line ConditionalExpression: see above
    if (nextRestart <= t[i]!) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      while (r < restarts.length && restarts[r]! <= t[i]!) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
        if (restarts[r]! > t[i - 1]!) boundary = true;
        r++;
      }
      // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
      nextRestart = r < restarts.length ? restarts[r]! : Infinity;
    }
    // a restart the terminations did not report: a fall from high usage to well below it
    const prev = ws[i - 1]!;
    if (prev >= high && ws[i]! < 0.6 * prev) boundary = true;
    if (boundary) {
      out.push([from, i]);
      from = i;
    }
  }
  out.push([from, n]);
  return out;
}

let scratchX = new Float64Array(64);
let scratchY = new Float64Array(64);
/** Bucket buffers reused across cycles (a leak has hundreds of short cycles; allocating each costs more than filling it). */
function scratch(n: number): { bx: Float64Array; by: Float64Array } {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: growing the buffers more often changes nothing but the time
  if (scratchX.length < n) {
    scratchX = new Float64Array(n * 2);
    scratchY = new Float64Array(n * 2);
  }
  const bx = scratchX.subarray(0, n);
  const by = scratchY.subarray(0, n);
  by.fill(Infinity);
  return { bx, by };
}

/** Trend of one restart cycle, measured on bucket floors so GC sawtooth, spikes and noise do not count as growth. */
export function cycleTrend(t: Float64Array, ws: Float64Array, from: number, to: number, scale: number, endedByOom: boolean): CycleTrend | null {
  const start = t[from]!;
  const end = t[to - 1]!;
  const duration = end - start;
  if (to - from < 6 || duration < HOUR) return null;
  const step = duration / (to - from - 1);
  const bucketSeconds = Math.min(6 * HOUR, Math.max(duration / 48, 2 * step, 300));
  const nb = Math.floor(duration / bucketSeconds) + 1;
  const { bx, by } = scratch(nb);
  // samples are in time order: walk the buckets alongside them
  let b = 0;
  // Stryker disable next-line ArithmeticOperator: an edge before the first sample moves to start + bucketSeconds at once, bucket 0 unchanged
  let edge = start + bucketSeconds;
  let floor = Infinity;
  for (let i = from; i < to; i++) {
    const ti = t[i]!;
    // (the last bucket's edge can round onto the last sample: b < nb - 1 keeps that sample in the last bucket)
    if (ti >= edge && b < nb - 1) {
      by[b] = floor;
      floor = Infinity;
      // Stryker disable next-line ArithmeticOperator: (ti - start) / bucketSeconds is at most duration / bucketSeconds, whose floor is nb - 1: the bound never binds
      b = Math.min(nb - 1, Math.floor((ti - start) / bucketSeconds));
      edge = start + (b + 1) * bucketSeconds;
    }
    const v = ws[i]!;
    // Stryker disable next-line EqualityOperator: <= assigns an equal value
    if (v < floor) floor = v;
  }
  by[b] = floor;
  let m = 0;
  for (let b = 0; b < nb; b++) {
    if (by[b] === Infinity) continue;
    // Stryker disable next-line ArithmeticOperator: moving every x by one bucket changes no slope, r² or half of the fit
    bx[m] = start + (b + 0.5) * bucketSeconds;
    by[m] = by[b]!;
    m++;
  }
  if (m < 4) return null;
  const fit = fitLine(bx, by, 0, m);
  const half = m >> 1;
  const first = fitLine(bx, by, 0, half);
  const second = fitLine(bx, by, half, m);
  let rising = 0;
  for (let i = 1; i < m; i++) if (by[i]! > by[i - 1]!) rising++;
  const fractionRising = rising / (m - 1);
  const halfRatio = first.slope > 0 ? second.slope / first.slope : second.slope > 0 ? 1 : 0;
  const relativeGrowth = scale > 0 ? (fit.slope * duration) / scale : 0;
  // each factor is 0 where the evidence says "not a leak" and 1 where it says "leak"
  const significant = clamp01((relativeGrowth - 0.04) / 0.16);
  const linear = clamp01((fit.r2 - 0.4) / 0.45);
  const continuous = clamp01((fractionRising - 0.55) / 0.3);
  // a curve that bends towards a ceiling (a heap filling up to -Xmx, caches warming) is not a leak
  const noPlateau = clamp01((halfRatio - 0.45) / 0.35);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without growth, relativeGrowth <= 0 makes `significant` 0 and the score 0 anyway
  const leakScore = fit.slope <= 0 ? 0 : Math.cbrt(significant * linear * continuous) * (0.3 + 0.7 * noPlateau);
  return { start, end, endedByOom, buckets: m, slope: fit.slope, r2: fit.r2, fractionRising, halfRatio, relativeGrowth, leakScore };
}

/** Restart cycles and current growth of one pod. */
export function podTrend(p: PodSeriesArrays, scale: number): PodTrend {
  const ranges = splitCycles(p);
  const cycles: CycleTrend[] = [];
  let current: CycleTrend | null = null;
  const ooms = [...p.ooms].sort((a, b) => a - b);
  let k = 0;
  for (let idx = 0; idx < ranges.length; idx++) {
    const [from, to] = ranges[idx]!;
    const end = p.t[to - 1]!;
    const next = idx + 1 < ranges.length ? p.t[ranges[idx + 1]![0]]! : Infinity;
    // ooms[k] past the end is undefined, and no comparison with undefined holds: the `< length` tests only narrow the type
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
    while (k < ooms.length && ooms[k]! < end) k++;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above
    const endedByOom = k < ooms.length && ooms[k]! <= next;
    const trend = cycleTrend(p.t, p.ws, from, to, scale, endedByOom);
    if (trend) cycles.push(trend);
    // Stryker disable next-line ConditionalExpression: assigning on every range leaves the last one's trend as well
    if (idx === ranges.length - 1) current = trend;
  }
  const n = p.t.length;
  let currentSlope: number | null = current ? (current as CycleTrend).slope : null;
  // scores are cube roots of products of measured floating-point ratios: none is exactly 0.3 or 0.5, so >= and > agree
  // Stryker disable next-line EqualityOperator: see above
  let currentSteady = current ? (current as CycleTrend).leakScore >= 0.3 : false;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without cycles nothing grows, and the block below leaves null and false
  if (current === null && cycles.length > 0) {
    // just restarted: a leak repeats, so the last cycles' growth is the best estimate
    // Stryker disable next-line EqualityOperator: see above
    const growing = cycles.filter((c) => c.leakScore >= 0.5);
    currentSlope = growing.length > 0 ? growing.reduce((s, c) => s + c.slope, 0) / growing.length : null;
    currentSteady = growing.length > 0;
  }
  return { name: p.name, cycles, latestBytes: n ? p.ws[n - 1]! : 0, latestAt: n ? p.t[n - 1]! : 0, currentSlope, currentSteady };
}
