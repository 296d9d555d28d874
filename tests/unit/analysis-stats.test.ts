import { describe, expect, it } from "vitest";
import { summarize } from "@/lib/analysis/stats";
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
    ];
    for (const values of cases) {
      const { mean: _mean, ...rest } = summarize(values);
      expect(rest).toEqual(bySort(values));
    }
  });
});
