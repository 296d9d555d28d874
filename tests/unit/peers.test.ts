import { describe, expect, it } from "vitest";
import { krrMemory, vpaPeaks, vpaPercentile, vpaTarget } from "@/bench/peer-formulas";
import { scenarioTerminations, type ScenarioSpec } from "@/lib/scenarios";
import { simulateOomKills } from "@/lib/scenarios/resimulate";

const Mi = 1024 * 1024;
const DAY = 86_400;
const HOUR = 3600;

describe("krr simple: request = limit = max x 1.15, rounded up to a whole MB, at least 100 MB", () => {
  it("takes the highest pod's maximum", () => {
    expect(krrMemory([400e6, 500e6])).toEqual({ requestBytes: 575_000_000, limitBytes: 575_000_000 });
  });

  it("rounds up to a whole megabyte (10^6 bytes), not to a clean Kubernetes quantity", () => {
    // 512Mi x 1.15 = 617,401,548.8 bytes
    expect(krrMemory([512 * Mi])!.limitBytes).toBe(618_000_000);
    // 200 MB x 1.15 is 229,999,999.99999997 in floating point: krr's ceil(x * 1e-6) still gives 230 MB
    expect(krrMemory([200e6])!.limitBytes).toBe(230_000_000);
  });

  it("never answers below 100 MB, and nothing without data", () => {
    expect(krrMemory([50e6])!.limitBytes).toBe(100_000_000);
    expect(krrMemory([90e6])!.limitBytes).toBe(104_000_000); // 103.5 MB, rounded up
    expect(krrMemory([])).toBeNull();
  });
});

describe("VPA memory peaks: one per 24 h interval from the first sample, OOMs bumped", () => {
  const t0 = 1_764_000_000;

  it("keeps the highest working set of each interval, dated at the interval's end", () => {
    const peaks = vpaPeaks([t0, t0 + HOUR, t0 + DAY - 1, t0 + DAY, t0 + DAY + 5], [100 * Mi, 300 * Mi, 200 * Mi, 150 * Mi, 120 * Mi], [], 0);
    expect(peaks).toEqual([
      { at: t0 + DAY, bytes: 300 * Mi },
      { at: t0 + 2 * DAY, bytes: 150 * Mi },
    ]);
  });

  it("an OOMKill raises its interval's peak to max(used + 100Mi, used x 1.2), used = max(request, peak so far)", () => {
    const t = [t0, t0 + HOUR, t0 + 3 * HOUR];
    const ws = [100 * Mi, 200 * Mi, 210 * Mi];
    // request 300Mi > peak 200Mi: 300Mi + 100Mi beats 360Mi
    expect(vpaPeaks(t, ws, [t0 + 2 * HOUR], 300 * Mi)[0]!.bytes).toBe(400 * Mi);
    // no request: the peak so far (200Mi) + 100Mi; the later 210Mi sample does not count
    expect(vpaPeaks(t, ws, [t0 + 2 * HOUR], 0)[0]!.bytes).toBe(300 * Mi);
    // above 500Mi the 20% wins: 1Gi x 1.2
    expect(vpaPeaks(t, ws, [t0 + 2 * HOUR], 1024 * Mi)[0]!.bytes).toBeCloseTo(1.2 * 1024 * Mi, 0);
    // at 500Mi both give 600Mi
    expect(vpaPeaks(t, ws, [t0 + 2 * HOUR], 500 * Mi)[0]!.bytes).toBe(600 * Mi);
  });

  it("a second kill in the same interval bumps from the samples' peak again, not from the first bump", () => {
    expect(vpaPeaks([t0, t0 + HOUR], [200 * Mi, 100 * Mi], [t0 + 2 * HOUR, t0 + 3 * HOUR], 0)[0]!.bytes).toBe(300 * Mi);
  });
});

describe("VPA target: p90 of the decaying peak histogram x 1.15, at least 250Mi per pod", () => {
  it("answers the end of the percentile's 5% bucket", () => {
    // 1Gi falls in bucket 37 of 1e7 x 1.05^n; its end is 1e7 x (1.05^38 - 1) / 0.05
    expect(vpaPercentile([{ at: 0, bytes: 1024 * Mi }], 0.9)).toBeCloseTo(1_077_095_458, -1);
    expect(vpaTarget([{ at: 0, bytes: 1024 * Mi }])).toBe(1_238_659_777);
  });

  it("weighs a peak half as much per day of age (half-life 24 h)", () => {
    const peaks = [
      { at: 10 * DAY, bytes: 200 * Mi },
      { at: 9 * DAY, bytes: 200 * Mi },
      { at: 6 * DAY, bytes: 800 * Mi },
    ];
    // weights 1 + 0.5 of 1.5625 = 96% at 200Mi: p90 is 200Mi's bucket
    expect(vpaPercentile(peaks, 0.9)).toBeLessThan(220 * Mi);
    // without decay 2 of 3 = 67% at 200Mi: p90 is 800Mi's bucket
    expect(vpaPercentile(peaks, 0.9, Infinity)).toBeGreaterThan(800 * Mi);
  });

  it("p90, not the maximum: one high day in ten is left out", () => {
    const peaks = Array.from({ length: 10 }, (_, i) => ({ at: 0, bytes: (i === 3 ? 900 : 300) * Mi }));
    expect(vpaPercentile(peaks, 0.9)).toBeLessThan(330 * Mi);
    expect(vpaPercentile([...peaks, { at: 0, bytes: 900 * Mi }], 0.9)).toBeGreaterThan(900 * Mi);
  });

  it("never below 250Mi per pod, shared by the pod's containers", () => {
    expect(vpaTarget([{ at: 0, bytes: 100 * Mi }])).toBe(250 * Mi);
    expect(vpaTarget([{ at: 0, bytes: 100 * Mi }], 2)).toBe(125 * Mi);
  });
});

describe("re-simulating a scenario against another limit", () => {
  const NOW = 1_764_900_000;
  const window = { start: NOW, end: NOW + 10 * DAY, stepSeconds: 30 };

  it("at the model's own limit, from its last start, finds the model's kills", () => {
    const spec: ScenarioSpec = { kind: "fast_leak", seed: 11, limitBytes: 512 * Mi };
    const past = scenarioTerminations(spec, NOW - DAY, NOW);
    const kills = simulateOomKills(spec, spec.limitBytes, window, { startedAt: past[past.length - 1]!.at });
    expect(kills.length).toBe(scenarioTerminations(spec, window.start + 1, window.end).length);
  });

  it("a leak with twice the room runs about twice as long between kills", () => {
    const spec: ScenarioSpec = { kind: "fast_leak", seed: 11, limitBytes: 512 * Mi };
    // from 0.32 of 512Mi, growing 0.675 x 512Mi per 8 h: 1024Mi is reached after (2 - 0.32) / 0.675 x 8 h = 19.9 h
    const kills = simulateOomKills(spec, 1024 * Mi, window);
    expect(kills.length).toBe(12);
  });

  it("no limit, or one above everything a healthy container asks for, kills nothing", () => {
    const spec: ScenarioSpec = { kind: "healthy", seed: 3, limitBytes: 512 * Mi };
    expect(simulateOomKills(spec, null, window)).toEqual([]);
    expect(simulateOomKills(spec, 300 * Mi, window)).toEqual([]);
  });

  it("a limit below what the container needs at start crash-loops under kubelet's back-off (at most one kill per 5 minutes)", () => {
    const spec: ScenarioSpec = { kind: "healthy", seed: 3, limitBytes: 512 * Mi };
    const kills = simulateOomKills(spec, 128 * Mi, { ...window, end: NOW + DAY });
    expect(kills.length).toBeGreaterThan(280);
    expect(kills.length).toBeLessThanOrEqual(DAY / 300 + 6);
  });
});
