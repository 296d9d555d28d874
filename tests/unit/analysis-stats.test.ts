import { describe, expect, it } from "vitest";
import { clamp01, fitLine, quantile, summarize, summarizeAll } from "@/lib/analysis/stats";
import { generateSeries, SCENARIO_KINDS } from "@/lib/scenarios";

const NOW = Date.UTC(2026, 10, 28) / 1000;

function bySort(values: Float64Array) {
  const sorted = Float64Array.from(values).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted[sorted.length - 1]! };
}

describe("summarize: nearest-rank percentiles by selection equal those of a full sort", () => {
  for (const kind of SCENARIO_KINDS) {
    it(`${kind}, 30 days at 1-minute and 5-minute steps`, () => {
      for (const stepSeconds of [60, 300]) {
        const s = generateSeries({ kind, seed: 3, limitBytes: 512 * 1048576 }, { start: NOW - 30 * 86_400, end: NOW, stepSeconds });
        const { mean, ...rest } = summarize(s.workingSet);
        expect(rest).toEqual(bySort(s.workingSet));
        expect(mean).toBeCloseTo(s.workingSet.reduce((a, b) => a + b, 0) / s.workingSet.length, 3);
      }
    });
  }
  it("uniform noise, constants, two values, and ascending data", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const cases = [
      Float64Array.from({ length: 50_000 }, rnd),
      new Float64Array(20_000).fill(7),
      Float64Array.from({ length: 30_000 }, (_, i) => (i % 3 ? 1 : 2)),
      Float64Array.from({ length: 10_000 }, (_, i) => i),
      Float64Array.of(5, 1, 3),
      // extremes the range guess (every 16th sample) misses: a huge spike and values far below
      Float64Array.from({ length: 20_000 }, (_, i) => (i === 5 ? 1e15 : i % 16 === 7 ? -1e12 - i : 500 + (i % 97))),
      // many values above and below the guessed range pile into the edge bins, where the ranks fall
      Float64Array.from({ length: 9_000 }, (_, i) => (i % 16 === 0 ? 1000 : i % 2 ? 2000 + i : -i)),
      // only negative values (a range whose ends add up below 0), and a range of width 1 with most values at its ends
      Float64Array.from({ length: 5_000 }, (_, i) => -1 - ((i * 7919) % 5_000)),
      Float64Array.from({ length: 4_000 }, (_, i) => (i % 3 === 0 ? 0.5 : i % 3 === 1 ? 0 : 1)),
      // 200 spread values then 2000 zeros: p95 and p99 each alone in its bin, right after the zeros' region
      Float64Array.from({ length: 2_200 }, (_, i) => (i < 200 ? (i + 1) * 1000 : 0)),
    ];
    for (const values of cases) {
      const { mean, ...rest } = summarize(values);
      expect(rest).toEqual(bySort(values));
      expect(mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 0);
    }
  });

  it("pools several pods without copying them: same figures as one sorted array, and each pod's peak", () => {
    const pods = [1, 2, 3].map((seed) => generateSeries({ kind: "load_spikes", seed, limitBytes: 512 * 1048576 }, { start: NOW - 7 * 86_400, end: NOW, stepSeconds: 60 }).workingSet);
    const pooled = new Float64Array(pods.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of pods) {
      pooled.set(p, o);
      o += p.length;
    }
    const { summary, maxes } = summarizeAll(pods);
    const { mean: _m, ...rest } = summary;
    expect(rest).toEqual(bySort(pooled));
    expect(maxes).toEqual(pods.map((p) => bySort(p).max));
  });
});

describe("the small pieces of the statistics", () => {
  it("fitLine: the least-squares line, its intercept and r², over a range of the points", () => {
    const x = Float64Array.of(0, 1, 2, 3);
    expect(fitLine(x, Float64Array.of(3, 5, 7, 9))).toEqual({ slope: 2, intercept: 3, r2: 1 });
    // two points are a line
    expect(fitLine(Float64Array.of(0, 1), Float64Array.of(4, 8))).toEqual({ slope: 4, intercept: 4, r2: 1 });
    expect(fitLine(x, Float64Array.of(100, 5, 7, 100), 1, 3)).toEqual({ slope: 2, intercept: 3, r2: 1 });
    // (0,0) (1,2) (2,1): sxy 1, sxx 2, syy 2: slope 0.5 through the means (1, 1), r² = 1 / (2 x 2)
    expect(fitLine(Float64Array.of(0, 1, 2), Float64Array.of(0, 2, 1))).toEqual({ slope: 0.5, intercept: 0.5, r2: 0.25 });
    // falling
    expect(fitLine(Float64Array.of(0, 1, 2), Float64Array.of(4, 2, 0))).toEqual({ slope: -2, intercept: 4, r2: 1 });
  });

  it("fitLine without a line to fit: flat, vertical, one point, none", () => {
    expect(fitLine(Float64Array.of(0, 1, 2), Float64Array.of(7, 7, 7))).toEqual({ slope: 0, intercept: 7, r2: 0 });
    expect(fitLine(Float64Array.of(5, 5, 5), Float64Array.of(1, 2, 3))).toEqual({ slope: 0, intercept: 2, r2: 0 });
    expect(fitLine(Float64Array.of(0, 1, 2), Float64Array.of(4, 8, 9), 1, 2)).toEqual({ slope: 0, intercept: 8, r2: 0 });
    expect(fitLine(Float64Array.of(0, 1), Float64Array.of(4, 8), 1, 1)).toEqual({ slope: 0, intercept: 0, r2: 0 });
  });

  it("quantile: nearest rank, and NaN for no values", () => {
    expect(quantile(Float64Array.of(5, 1, 3), 0.5)).toBe(3);
    expect(quantile(Float64Array.of(5, 1, 3), 0)).toBe(1);
    expect(quantile(Float64Array.of(5, 1, 3), 0.34)).toBe(3);
    expect(quantile(Float64Array.of(5, 1, 3), 0.33)).toBe(1);
    expect(quantile(Float64Array.of(5, 1, 3), 1)).toBe(5);
    expect(quantile(new Float64Array(0), 0.5)).toBeNaN();
  });

  it("summarizeAll: zeros for no samples, and each part's own peak", () => {
    expect(summarizeAll([])).toEqual({ summary: { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 }, maxes: [] });
    expect(summarizeAll([new Float64Array(0), Float64Array.of(2, 4), Float64Array.of(9)])).toEqual({ summary: { mean: 5, p50: 4, p95: 9, p99: 9, max: 9 }, maxes: [-Infinity, 4, 9] });
    // the peak in the first part, few samples and many
    expect(summarizeAll([Float64Array.of(9, 1), Float64Array.of(2)]).summary.max).toBe(9);
    const big = summarizeAll([Float64Array.from({ length: 1_500 }, (_, i) => i), Float64Array.from({ length: 1_000 }, (_, i) => i % 7)]);
    expect(big.summary.max).toBe(1_499);
    expect(big.maxes).toEqual([1_499, 6]);
  });

  it("clamp01", () => {
    expect([-0.5, 0, 0.3, 1, 1.5].map(clamp01)).toEqual([0, 0, 0.3, 1, 1]);
  });
});
