import { describe, expect, it } from "vitest";
import { downsample, oomMarkers, type ChartPoint } from "@/lib/charts/downsample";

const Mi = 1024 * 1024;
const DAY = 86_400;
const T0 = 1_764_000_000;

/** A flat 200Mi working set sampled every `step` seconds for `days`, with RSS and cache beside it. */
function flat(days: number, step: number) {
  const n = Math.floor((days * DAY) / step) + 1;
  const t = Float64Array.from({ length: n }, (_, i) => T0 + i * step);
  const ws = new Float64Array(n).fill(200 * Mi);
  return { t, ws, rss: ws.map((v) => v * 0.86), cache: ws.map((v) => v * 0.1) };
}

describe("downsampling a memory chart", () => {
  for (const [window, days, step] of [["7d", 7, 300], ["7d at 1-minute samples", 7, 60], ["30d", 30, 300], ["30d at 1-minute samples", 30, 60]] as const) {
    it(`keeps a one-sample spike to the limit, at its time, over ${window}`, () => {
      const s = flat(days, step);
      const at = Math.floor(s.t.length * 0.61) + 3;
      s.ws[at] = 512 * Mi;
      s.rss[at] = 440 * Mi;
      const points = downsample(s.t, s.ws, s.rss, s.cache, 800);
      expect(points.length).toBeLessThanOrEqual(800);
      expect(points.length).toBeGreaterThan(300);
      const peak = points.reduce((m, p) => (p.ws > m.ws ? p : m));
      expect(peak).toEqual({ t: s.t[at], ws: 512 * Mi, rss: 440 * Mi, cache: 20 * Mi });
    });
  }

  it("keeps a one-sample drop (a restart) as well as the peak of the same bucket, in time order", () => {
    const s = flat(30, 300);
    const per = Math.ceil(s.t.length / 400);
    const bucket = 150 * per;
    s.ws[bucket + 2] = 480 * Mi;
    s.ws[bucket + 5] = 30 * Mi;
    const points = downsample(s.t, s.ws, null, null, 800);
    const i = points.findIndex((p) => p.ws === 480 * Mi);
    expect(points[i + 1]).toEqual({ t: s.t[bucket + 5], ws: 30 * Mi, rss: null, cache: null });
    const times = points.map((p) => p.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("leaves a series that already fits untouched, and reads NaN RSS as missing", () => {
    const t = Float64Array.from([1, 2, 3]);
    const ws = Float64Array.from([5, 9, 7]);
    expect(downsample(t, ws, Float64Array.from([4, NaN, 6]), null, 800)).toEqual([
      { t: 1, ws: 5, rss: 4, cache: null },
      { t: 2, ws: 9, rss: null, cache: null },
      { t: 3, ws: 7, rss: 6, cache: null },
    ]);
    expect(downsample(new Float64Array(0), new Float64Array(0), null, null, 800)).toEqual([]);
  });
});

describe("OOMKill markers", () => {
  const pt = (t: number, ws: number): ChartPoint => ({ t, ws, rss: null, cache: null });
  // 5-minute max-per-step points: the step ending at 1200 holds the spike that was killed at 1020
  const points = [pt(0, 100), pt(300, 110), pt(600, 105), pt(900, 120), pt(1200, 510), pt(1500, 60), pt(1800, 90), pt(2100, 95)];

  it("sit on the spike the kill ended, at the kill's time", () => {
    expect(oomMarkers(points, [1020])).toEqual([{ t: 1020, ws: 510 }]);
  });

  it("drop kills outside the chart and fall back to the value before a kill with no point near it", () => {
    const sparse = [pt(0, 100), pt(300, 300), pt(5000, 90), pt(5300, 80)];
    expect(oomMarkers(sparse, [-50, 2900, 9999])).toEqual([{ t: 2900, ws: 300 }]);
    expect(oomMarkers([], [100])).toEqual([]);
  });
});
