import { describe, expect, it } from "vitest";
import { generateSeries, scenarioTerminations, SCENARIO_KINDS, type ScenarioSpec } from "@/lib/scenarios";
import { DEMO_FLEET, fleetPods } from "@/lib/scenarios/demo-fleet";

const Mi = 1024 * 1024;
const NOW = 1_764_900_000;
const DAY = 86_400;
const spec = (kind: ScenarioSpec["kind"], seed = 7): ScenarioSpec => ({ kind, seed, limitBytes: 512 * Mi });

describe("scenario models", () => {
  it.each(SCENARIO_KINDS)("%s is deterministic and never samples at or above the limit", (kind) => {
    const window = { start: NOW - 7 * DAY, end: NOW, stepSeconds: 60 };
    const a = generateSeries(spec(kind), window);
    const b = generateSeries(spec(kind), window);
    expect(Array.from(a.workingSet)).toEqual(Array.from(b.workingSet));
    expect(a.t.length).toBeGreaterThan(9000);
    for (const v of a.workingSet) expect(v).toBeLessThan(512 * Mi);
    for (let i = 1; i < a.t.length; i++) expect(a.t[i]!).toBeGreaterThan(a.t[i - 1]!);
  });

  it("agrees with itself across windows: a sub-window gives the same samples", () => {
    const wide = generateSeries(spec("fast_leak"), { start: NOW - 2 * DAY, end: NOW, stepSeconds: 60 });
    const narrow = generateSeries(spec("fast_leak"), { start: NOW - DAY, end: NOW, stepSeconds: 60 });
    const offset = wide.t.indexOf(narrow.t[0]!);
    expect(offset).toBeGreaterThan(0);
    expect(Array.from(wide.workingSet.slice(offset))).toEqual(Array.from(narrow.workingSet));
    expect(scenarioTerminations(spec("fast_leak"), NOW - DAY, NOW)).toEqual(narrow.terminations);
  });

  it("a fast leak is OOMKilled once per cycle, close to the limit, and restarts low", () => {
    const s = generateSeries({ ...spec("fast_leak"), cycleHours: 8 }, { start: NOW - 3 * DAY, end: NOW, stepSeconds: 60 });
    expect(s.terminations.length).toBeGreaterThanOrEqual(8);
    expect(s.terminations.length).toBeLessThanOrEqual(10);
    for (const term of s.terminations) {
      expect(term).toMatchObject({ reason: "OOMKilled", exitCode: 137 });
      const before = s.t.findLastIndex((t) => t < term.at);
      const after = s.t.findIndex((t) => t > term.at);
      if (before < 0 || after < 0) continue;
      expect(s.workingSet[before]!).toBeGreaterThan(0.95 * 512 * Mi);
      expect(s.workingSet[after]!).toBeLessThan(0.45 * 512 * Mi);
      // the restart leaves a gap: no sample within 45 s of the kill
      expect(s.t[after]! - term.at).toBeGreaterThanOrEqual(45);
    }
  });

  it("healthy, over-provisioned and seasonal workloads are never killed", () => {
    for (const kind of ["healthy", "over_provisioned", "daily_seasonality"] as const) {
      expect(scenarioTerminations(spec(kind), NOW - 30 * DAY, NOW)).toEqual([]);
    }
  });

  it("a daily sine swings widely but returns to where it was a day earlier", () => {
    const s = generateSeries(spec("daily_seasonality"), { start: NOW - 2 * DAY, end: NOW, stepSeconds: 300 });
    const max = Math.max(...s.workingSet);
    const min = Math.min(...s.workingSet);
    expect((max - min) / (512 * Mi)).toBeGreaterThan(0.4);
    const perDay = DAY / 300;
    expect(Math.abs(s.workingSet[0]! - s.workingSet[perDay]!) / (512 * Mi)).toBeLessThan(0.05);
  });

  it("limit too low sits on a plateau near the limit with occasional kills", () => {
    const s = generateSeries(spec("limit_too_low"), { start: NOW - 30 * DAY, end: NOW, stepSeconds: 300 });
    const sorted = Float64Array.from(s.workingSet).sort();
    expect(sorted[Math.floor(sorted.length / 2)]! / (512 * Mi)).toBeGreaterThan(0.85);
    expect(s.terminations.length).toBeGreaterThan(3);
    expect(s.terminations.length).toBeLessThan(40);
  });

  it("spikes kill only when a spike is tall enough, and batch jobs peak then idle", () => {
    const spikes = scenarioTerminations(spec("load_spikes"), NOW - 30 * DAY, NOW);
    expect(spikes.length).toBeGreaterThan(2);
    const batch = generateSeries(spec("batch_peaks"), { start: NOW - DAY, end: NOW, stepSeconds: 60 });
    const sorted = Float64Array.from(batch.workingSet).sort();
    expect(sorted[Math.floor(sorted.length * 0.5)]! / (512 * Mi)).toBeLessThan(0.15);
    expect(sorted[sorted.length - 1]! / (512 * Mi)).toBeGreaterThan(0.5);
  });
});

describe("demo fleet", () => {
  it("has three clusters and at least 40 workloads drawn from every scenario", () => {
    expect(DEMO_FLEET.map((c) => c.slug)).toEqual(["prod-eu", "prod-us", "staging"]);
    const workloads = DEMO_FLEET.flatMap((c) => c.workloads);
    expect(workloads.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(workloads.flatMap((w) => w.containers.map((c) => c.scenario)));
    expect([...kinds].sort()).toEqual([...SCENARIO_KINDS].sort());
  });

  it("gives each pod a stable, unique name and uid", () => {
    const cluster = DEMO_FLEET[0]!;
    const pods = cluster.workloads.flatMap((w) => fleetPods(cluster.slug, w));
    expect(new Set(pods.map((p) => p.uid)).size).toBe(pods.length);
    expect(new Set(pods.map((p) => p.name)).size).toBe(pods.length);
    expect(fleetPods(cluster.slug, cluster.workloads[0]!)).toEqual(fleetPods(cluster.slug, cluster.workloads[0]!));
    const db = cluster.workloads.find((w) => w.kind === "StatefulSet")!;
    expect(fleetPods(cluster.slug, db).map((p) => p.name)).toEqual(Array.from({ length: db.replicas }, (_, i) => `${db.name}-${i}`));
  });
});
