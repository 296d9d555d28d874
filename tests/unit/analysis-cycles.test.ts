// Restart cycles and their trend, pinned on series whose bucket floors are set by hand: where a cycle
// starts and ends, the bucket size rule, each factor of the leak score, and a pod's current growth.
import { describe, expect, it } from "vitest";
import { cycleTrend, podTrend, splitCycles, type CycleTrend, type PodSeriesArrays } from "@/lib/analysis/cycles";
import { Mi } from "@/lib/analysis/quantity";

const H = 3600;
const series = (t: number[], ws: number[], restarts: number[] = [], ooms: number[] = [], max?: number): PodSeriesArrays => ({
  name: "p", t: Float64Array.from(t), ws: Float64Array.from(ws), restarts, ooms, ...(max === undefined ? {} : { max }),
});
const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
/** The leak score's rule (cycles.ts) from a trend's own measurements. */
const factors = (r: CycleTrend) => ({
  significant: clamp01((r.relativeGrowth - 0.04) / 0.16),
  linear: clamp01((r.r2 - 0.4) / 0.45),
  continuous: clamp01((r.fractionRising - 0.55) / 0.3),
  noPlateau: clamp01((r.halfRatio - 0.45) / 0.35),
});
const score = (r: CycleTrend) => {
  const f = factors(r);
  return r.slope <= 0 ? 0 : Math.cbrt(f.significant * f.linear * f.continuous) * (0.3 + 0.7 * f.noPlateau);
};

/** `n` samples every `step` s from 0, of f(i). */
function sampled(n: number, step: number, f: (i: number) => number) {
  return { t: Float64Array.from({ length: n }, (_, i) => i * step), ws: Float64Array.from({ length: n }, (_, i) => f(i)) };
}
/** 4 hours at one sample a minute: 49 buckets of 5 minutes; bucket b's floor is floors[b], its other samples above it. */
function fromFloors(floors: (b: number) => number) {
  return sampled(241, 60, (i) => (floors(Math.floor(i / 5)) + (i % 5) * 3) * Mi);
}

describe("splitting a pod's samples into restart cycles", () => {
  const T = [0, 60, 120, 180, 240, 300];
  const flat = T.map(() => 100);
  const split = (restarts: number[], ws = flat, max?: number) => splitCycles(series(T, ws, restarts, [], max));

  it("one cycle without restarts, none without samples", () => {
    expect(split([])).toEqual([[0, 6]]);
    expect(splitCycles(series([], []))).toEqual([]);
  });

  it("a termination starts a new cycle at the first sample after it, or at a sample at the same second", () => {
    expect(split([150])).toEqual([[0, 3], [3, 6]]);
    expect(split([180])).toEqual([[0, 3], [3, 6]]);
    expect(split([120])).toEqual([[0, 2], [2, 6]]);
    expect(split([250, 70])).toEqual([[0, 2], [2, 5], [5, 6]]);
    // two in the same gap: one boundary; in successive gaps: two
    expect(split([130, 170])).toEqual([[0, 3], [3, 6]]);
    expect(split([100, 150])).toEqual([[0, 2], [2, 3], [3, 6]]);
  });

  it("terminations at or before the first sample, or after the last, split nothing", () => {
    expect(split([0, -10])).toEqual([[0, 6]]);
    // and do not hide later ones
    expect(split([-10, 0, 150])).toEqual([[0, 3], [3, 6]]);
    expect(split([301])).toEqual([[0, 6]]);
  });

  it("a fall from at least 60% of the peak to under 60% of the sample before is a restart the terminations missed", () => {
    expect(split([], [100, 100, 100, 50, 50, 50])).toEqual([[0, 3], [3, 6]]);
    expect(split([], [100, 100, 100, 60, 60, 60])).toEqual([[0, 6]]);
    expect(split([], [100, 100, 100, 59.9, 59.9, 59.9])).toEqual([[0, 3], [3, 6]]);
    // from 60 (60% of the peak) to 35 (under 36): a restart; from 59 to 35 (under 35.4): below the line, not one
    expect(split([], [100, 60, 35, 35, 35, 35])).toEqual([[0, 2], [2, 6]]);
    expect(split([], [100, 61, 59, 35, 35, 35])).toEqual([[0, 6]]);
  });

  it("takes the peak the caller knows rather than scanning for it", () => {
    // a known peak of 200: 100 is under 60% of it, so the fall from it is no restart
    expect(split([], [100, 100, 100, 50, 50, 50], 200)).toEqual([[0, 6]]);
    expect(split([], [100, 80, 55, 30, 30, 30], 90)).toEqual([[0, 3], [3, 6]]);
    expect(split([], [100, 80, 55, 30, 30, 30])).toEqual([[0, 6]]);
  });
});

describe("the trend of one cycle", () => {
  it("steady growth: the floors' slope, a perfect fit, every floor rising, no bend, a leak score of 1", () => {
    // 4 hours growing 300Mi from 100Mi: 1/48 of 300Mi per 5-minute bucket
    const s = sampled(241, 60, (i) => (100 + (300 * i) / 240) * Mi);
    const r = cycleTrend(s.t, s.ws, 0, 241, 1000 * Mi, true)!;
    expect(r).toMatchObject({ start: 0, end: 4 * H, endedByOom: true, buckets: 49, fractionRising: 1, leakScore: 1 });
    expect(r.slope / ((300 * Mi) / (4 * H))).toBeCloseTo(1, 9);
    expect(r.r2).toBeCloseTo(1, 9);
    expect(r.halfRatio).toBeCloseTo(1, 9);
    // 300Mi over 4 hours against a scale of 1000Mi
    expect(r.relativeGrowth).toBeCloseTo(0.3, 9);
  });

  it("a flat cycle: no slope, no fit, nothing rising, and no leak", () => {
    const s = sampled(241, 60, () => 300 * Mi);
    expect(cycleTrend(s.t, s.ws, 0, 241, 1000 * Mi, false)).toEqual({
      start: 0, end: 4 * H, endedByOom: false, buckets: 49, slope: 0, r2: 0, fractionRising: 0, halfRatio: 0, relativeGrowth: 0, leakScore: 0,
    });
  });

  it("a falling cycle is no leak however well it fits", () => {
    const s = sampled(241, 60, (i) => (400 - i) * Mi);
    const r = cycleTrend(s.t, s.ws, 0, 241, 1000 * Mi, false)!;
    expect(r.slope).toBeLessThan(0);
    expect(r.halfRatio).toBe(0);
    expect(r.leakScore).toBe(0);
  });

  it("growth that bends flat in the second half is a plateau: the score keeps only 0.3 of its weight", () => {
    // the floors rise 10Mi a bucket for 24 buckets, then barely (0.01Mi)
    const s = fromFloors((b) => 100 + 10 * Math.min(b, 24) + 0.01 * b);
    const r = cycleTrend(s.t, s.ws, 0, 241, 1000 * Mi, false)!;
    expect(factors(r).noPlateau).toBe(0);
    expect(r.leakScore).toBeCloseTo(Math.cbrt(factors(r).significant * factors(r).linear * factors(r).continuous) * 0.3, 12);
    expect(r.leakScore).toBeGreaterThan(0);
  });

  it("the share of rising floors counts strict rises only", () => {
    // floors 100, 100, 101, 101, 102, ...: 24 rises in 48 steps
    expect(cycleTrend(...args(fromFloors((b) => 100 + Math.floor(b / 2))))!.fractionRising).toBe(0.5);
  });

  it("each factor of the leak score between its bounds: score = cbrt(significant x linear x continuous) x (0.3 + 0.7 x no plateau)", () => {
    // a bending rise with a wobble of period 5 (-12, 0, +12, -6, +6Mi): floors rise in 29 of 48 steps
    const s = fromFloors((b) => 100 + 1.5 * Math.pow(b, 0.6) * Math.pow(48, 0.4) + 6 * (((b * 7) % 5) - 2));
    const r = cycleTrend(...args(s))!;
    expect(r.fractionRising).toBe(29 / 48);
    const f = factors(r);
    for (const v of Object.values(f)) {
      expect(v).toBeGreaterThan(0.1);
      expect(v).toBeLessThan(0.9);
    }
    expect(r.leakScore).toBeCloseTo(score(r), 12);
    expect(r.leakScore).toBeCloseTo(0.1438, 4);
  });

  it("growth counts against the scale: 12% of it is half significant, 4% not at all, 20% fully", () => {
    const at = (share: number) => {
      const s = sampled(241, 60, (i) => (100 + (share * 1000 * i) / 240) * Mi);
      return cycleTrend(s.t, s.ws, 0, 241, 1000 * Mi, false)!;
    };
    expect(at(0.12).leakScore).toBeCloseTo(Math.cbrt(0.5), 6);
    expect(at(0.04).leakScore).toBeCloseTo(0, 6);
    expect(at(0.2).leakScore).toBeCloseTo(1, 6);
    // no scale: no growth to speak of
    const s = sampled(241, 60, (i) => (100 + i) * Mi);
    expect(cycleTrend(s.t, s.ws, 0, 241, 0, false)).toMatchObject({ relativeGrowth: 0, leakScore: 0 });
  });

  it("buckets: a 48th of the cycle, at least two samples and 5 minutes, at most 6 hours", () => {
    const buckets = (n: number, step: number) => cycleTrend(...args(sampled(n, step, (i) => (100 + i) * Mi)))!.buckets;
    expect(buckets(241, 60)).toBe(49); // 4 h: 5-minute buckets
    expect(buckets(481, 60)).toBe(49); // 8 h: 10-minute buckets
    expect(buckets(121, 60)).toBe(25); // 2 h: 5 minutes, not 2.5
    expect(buckets(13, 600)).toBe(7); // 2 h every 10 minutes: 20-minute buckets
    expect(buckets(30 * 24 + 1, H)).toBe(121); // 30 days: 6-hour buckets, not 15
  });

  it("needs 6 samples over an hour, and 4 buckets with samples", () => {
    expect(cycleTrend(...args(sampled(13, 300, (i) => (100 + i) * Mi)))).not.toBeNull(); // exactly an hour
    expect(cycleTrend(...args(sampled(13, 3599 / 12, (i) => (100 + i) * Mi)))).toBeNull();
    expect(cycleTrend(...args(sampled(7, 1200, (i) => (100 + i) * Mi)))!.buckets).toBe(4);
    expect(cycleTrend(...args(sampled(5, 1800, (i) => (100 + i) * Mi)))).toBeNull();
    // 11 samples in the first 10 minutes and one 4 hours later: two buckets with samples
    const gap = { t: Float64Array.from([...Array.from({ length: 11 }, (_, i) => i * 60), 4 * H]), ws: Float64Array.from({ length: 12 }, (_, i) => (100 + i) * Mi) };
    expect(cycleTrend(...args(gap))).toBeNull();
  });

  it("a cycle of fewer than 6 samples is not measured even where they would fill 4 buckets (sparse samples over days)", () => {
    // every 12 hours: 6-hour buckets, each sample in its own
    const sparse = sampled(8, 12 * H, (i) => (100 + i) * Mi);
    expect(cycleTrend(sparse.t, sparse.ws, 0, 5, 1000 * Mi, false)).toBeNull();
    expect(cycleTrend(sparse.t, sparse.ws, 2, 7, 1000 * Mi, false)).toBeNull();
    expect(cycleTrend(sparse.t, sparse.ws, 0, 6, 1000 * Mi, false)!.buckets).toBe(6);
    expect(cycleTrend(sparse.t, sparse.ws, 2, 8, 1000 * Mi, false)!.buckets).toBe(6);
  });

  it("the bucket size counts the steps of its own range", () => {
    // 13 samples every 10 minutes from the 6th sample on: 20-minute buckets, 7 of them
    const s = sampled(18, 600, (i) => (100 + i) * Mi);
    expect(cycleTrend(s.t, s.ws, 5, 18, 1000 * Mi, false)!.buckets).toBe(7);
  });

  it("the last sample stays in the last bucket where the buckets' edges round onto it", () => {
    // 15 samples over exactly an hour at a real epoch: 7 buckets of 3600 / 7 s, two samples each, the last one three
    const S = 1_764_000_000;
    const t = Float64Array.from({ length: 15 }, (_, i) => S + Math.ceil((i * 3600) / 14));
    const ws = Float64Array.from({ length: 15 }, (_, i) => (100 + i) * Mi);
    const r = cycleTrend(t, ws, 0, 15, 1000 * Mi, false)!;
    expect(r.buckets).toBe(7);
    // the floors are the even samples, 2Mi apart a bucket: a perfect line
    expect(r.slope / ((2 * Mi) / (3600 / 7))).toBeCloseTo(1, 9);
    expect(r.r2).toBeCloseTo(1, 12);
  });

  it("a falling cycle with a gap counts no rising floor; growth that starts in the second half bends up, not flat", () => {
    const gap = sampled(241, 60, (i) => (400 - i) * Mi);
    const t = Float64Array.from([...gap.t.subarray(0, 60), ...gap.t.subarray(120)]);
    const ws = Float64Array.from([...gap.ws.subarray(0, 60), ...gap.ws.subarray(120)]);
    expect(cycleTrend(t, ws, 0, t.length, 1000 * Mi, false)).toMatchObject({ buckets: 37, fractionRising: 0 });
    // floors flat for 24 buckets, then rising: the first half has no slope, the ratio of halves counts as steady growth
    expect(cycleTrend(...args(fromFloors((b) => 100 + 10 * Math.max(0, b - 24))))!.halfRatio).toBe(1);
  });

  it("measures only the samples of its range", () => {
    const s = sampled(241, 60, (i) => (i < 100 ? 900 : 100 + i) * Mi);
    const r = cycleTrend(s.t, s.ws, 100, 241, 1000 * Mi, false)!;
    expect(r).toMatchObject({ start: 100 * 60, end: 240 * 60, fractionRising: 1 });
    expect(r.slope / (Mi / 60)).toBeCloseTo(1, 9);
  });
});

const args = (s: { t: Float64Array; ws: Float64Array }): Parameters<typeof cycleTrend> => [s.t, s.ws, 0, s.t.length, 1000 * Mi, false];

describe("a pod's cycles and current growth", () => {
  // two 4-hour cycles growing 300Mi from 100Mi, 5 minutes apart, then a current one
  const cycle = (from: number, n = 241) => Array.from({ length: n }, (_, i) => ({ t: from + i * 60, v: (100 + (300 * i) / 240) * Mi }));
  const three = [...cycle(0), ...cycle(4 * H + 300), ...cycle(8 * H + 600)];
  const pod = (points: { t: number; v: number }[], restarts: number[], ooms: number[] = restarts) => series(points.map((p) => p.t), points.map((p) => p.v), restarts, ooms);

  it("a cycle ends by an OOMKill at or after its last sample and at or before the next cycle's first", () => {
    const ended = (kill: number) => podTrend(pod(three, [4 * H + 150, 8 * H + 450], [kill]), 1000 * Mi).cycles.map((c) => c.endedByOom);
    expect(ended(4 * H)).toEqual([true, false, false]); // at its last sample
    expect(ended(4 * H + 150)).toEqual([true, false, false]);
    expect(ended(4 * H + 300)).toEqual([true, false, false]); // at the next one's first sample
    expect(ended(4 * H - 1)).toEqual([false, false, false]); // during the cycle
    expect(ended(4 * H + 301)).toEqual([false, false, false]);
    expect(ended(12 * H + 601)).toEqual([false, false, true]); // after the last sample
    expect(podTrend(pod(three, [8 * H + 450, 4 * H + 150]), 1000 * Mi).cycles.map((c) => c.endedByOom)).toEqual([true, true, false]);
  });

  it("the current cycle's growth and whether it is steady; the latest sample", () => {
    const t = podTrend(pod(three, [4 * H + 150, 8 * H + 450]), 1000 * Mi);
    expect(t.cycles).toHaveLength(3);
    expect(t.currentSlope! / ((300 * Mi) / (4 * H))).toBeCloseTo(1, 9);
    expect(t).toMatchObject({ name: "p", currentSteady: true, latestBytes: 400 * Mi, latestAt: 12 * H + 600 });
  });

  it("steady means a current leak score of at least 0.3", () => {
    // growth of 4% + x of the scale: significant (x / 0.16), score its cube root
    const growth = (share: number) => {
      const s = sampled(241, 60, (i) => (100 + (share * 1000 * i) / 240) * Mi);
      return podTrend(series([...s.t], [...s.ws]), 1000 * Mi);
    };
    // at 4.5% of the scale the score is cbrt(0.5 / 16) = 0.315, at 4.4% cbrt(0.4 / 16) = 0.292
    expect(growth(0.045).currentSteady).toBe(true);
    expect(growth(0.044).currentSteady).toBe(false);
  });

  it("just restarted: the mean growth of the cycles scoring at least 0.5, steady if there is one", () => {
    // a current cycle of 10 minutes cannot be measured
    const restarted = [...cycle(0), ...cycle(4 * H + 300), ...cycle(8 * H + 600, 11)];
    const t = podTrend(pod(restarted, [4 * H + 150, 8 * H + 450]), 1000 * Mi);
    expect(t.cycles).toHaveLength(2);
    expect(t.currentSlope! / ((300 * Mi) / (4 * H))).toBeCloseTo(1, 9);
    expect(t.currentSteady).toBe(true);
    // a fast and a slow cycle: their mean
    const mixed = [...cycle(0), ...Array.from({ length: 241 }, (_, i) => ({ t: 4 * H + 300 + i * 60, v: (100 + (600 * i) / 240) * Mi })), ...cycle(8 * H + 600, 11)];
    expect(podTrend(pod(mixed, [4 * H + 150, 8 * H + 450]), 1000 * Mi).currentSlope! / ((450 * Mi) / (4 * H))).toBeCloseTo(1, 9);
    // flat cycles score 0: no growth to go on
    const flatCycles = [...cycle(0).map((p) => ({ ...p, v: 300 * Mi })), ...cycle(4 * H + 300, 11)];
    expect(podTrend(pod(flatCycles, [4 * H + 150]), 1000 * Mi)).toMatchObject({ currentSlope: null, currentSteady: false });
    // growth of 6% of the scale scores cbrt(0.125) = 0.5: just above it counts, just below not
    const near = (mi: number) => podTrend(pod([...Array.from({ length: 241 }, (_, i) => ({ t: i * 60, v: (100 + (mi * i) / 240) * Mi })), ...cycle(4 * H + 300, 11)], [4 * H + 150]), 1000 * Mi);
    expect(near(60.1).cycles[0]!.leakScore).toBeCloseTo(0.5008, 4);
    expect(near(60.1).currentSteady).toBe(true);
    expect(near(59.9)).toMatchObject({ currentSlope: null, currentSteady: false });
  });

  it("nothing to measure: no growth, and the latest sample of an empty pod is 0", () => {
    expect(podTrend(series([0, 60], [Mi, 2 * Mi]), Mi)).toEqual({ name: "p", cycles: [], latestBytes: 2 * Mi, latestAt: 60, currentSlope: null, currentSteady: false });
    expect(podTrend(series([], []), Mi)).toEqual({ name: "p", cycles: [], latestBytes: 0, latestAt: 0, currentSlope: null, currentSteady: false });
  });
});
