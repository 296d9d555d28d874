import { describe, expect, it } from "vitest";
import { analyzeContainer, type ContainerInput } from "@/lib/analysis";
import { generateSeries, type ScenarioKind } from "@/lib/scenarios";

const NOW = 1_764_900_000;
const DAY = 86_400;
const Mi = 1024 * 1024;

function analyzeScenario(kind: ScenarioKind, opts: { seed?: number; days?: number; step?: number; container?: Partial<ContainerInput>; pods?: number } = {}) {
  const limit = 512 * Mi;
  const pods = Array.from({ length: opts.pods ?? 1 }, (_, i) => {
    const s = generateSeries({ kind, seed: (opts.seed ?? 11) + i * 101, limitBytes: limit }, { start: NOW - (opts.days ?? 30) * DAY, end: NOW, stepSeconds: opts.step ?? 300 });
    return { name: `pod-${i}`, t: s.t, workingSet: s.workingSet, terminations: s.terminations };
  });
  return analyzeContainer({
    now: NOW,
    container: { name: "app", namespace: "ns", workload: { kind: "Deployment", name: "app", replicas: pods.length }, limitBytes: limit, requestBytes: 256 * Mi, ...opts.container },
    pods,
    pricing: { currency: "USD", perGiBMonth: 3.2 },
  });
}

describe("the engine on every scenario model", () => {
  it.each([1, 2, 3])("a fast leak under a GC sawtooth is a leak, near-certain (seed %i)", (seed) => {
    const out = analyzeScenario("fast_leak", { seed });
    expect(out.pattern).toBe("leak");
    expect(out.leakConfidence).toBeGreaterThan(0.9);
    expect(out.growthBytesPerHour! / Mi).toBeGreaterThan(30);
    expect(out.timeToOomHours).not.toBeNull();
    expect(out.timeToOomHours!).toBeLessThan(9);
    // a leak's higher limit only buys time: the backtest says so
    expect(out.backtest!.avoidedOomKills).toBeLessThan(out.backtest!.observedOomKills);
  });

  it("a slow leak is a leak with a time to OOM in days", () => {
    const out = analyzeScenario("slow_leak");
    expect(out.pattern).toBe("leak");
    expect(out.leakConfidence).toBeGreaterThan(0.75);
    expect(out.timeToOomHours!).toBeGreaterThan(24);
  });

  it("a plateau near the limit is limit too low, with leak confidence near 0", () => {
    const out = analyzeScenario("limit_too_low");
    expect(out.pattern).toBe("limit_too_low");
    expect(out.leakConfidence).toBeLessThan(0.1);
    expect(out.confidence).toBeGreaterThan(0.8);
    expect(out.recommendation!.limitBytes).toBeGreaterThan(512 * Mi);
    expect(out.backtest!.avoidedOomKills).toBe(out.backtest!.observedOomKills);
  });

  it("load spikes are spikes, and never get a limit at or below the one they were killed at", () => {
    const out = analyzeScenario("load_spikes");
    expect(out.pattern).toBe("spike");
    expect(out.stats.p95).toBeLessThan(0.6 * 512 * Mi);
    expect(out.recommendation!.limitBytes).toBeGreaterThan(512 * Mi);
    expect(out.recommendation!.basis).toContain("raised above the 512Mi limit");
  });

  it.each(["healthy", "over_provisioned", "daily_seasonality"] as const)("%s is healthy and not a leak", (kind) => {
    const out = analyzeScenario(kind);
    expect(out.pattern).toBe("healthy");
    expect(out.leakConfidence).toBeLessThan(0.1);
    expect(out.timeToOomHours).toBeNull();
    expect(out.backtest!.observedOomKills).toBe(0);
  });

  it("a daily sine over two days, starting at its trough, is not a leak", () => {
    const out = analyzeScenario("daily_seasonality", { days: 2, step: 60 });
    expect(out.pattern).toBe("healthy");
    expect(out.leakConfidence).toBeLessThan(0.3);
  });

  it("an over-provisioned container gets a smaller request and limit, and the cost goes down", () => {
    const out = analyzeScenario("over_provisioned");
    expect(out.recommendation!.limitBytes).toBeLessThan(512 * Mi);
    expect(out.cost!.monthlyDeltaPerReplica).toBeLessThan(0);
  });

  it("batch peaks are sized on max + 50% for a CronJob", () => {
    const out = analyzeScenario("batch_peaks", { container: { workload: { kind: "CronJob", name: "etl", replicas: 1 } } });
    expect(out.recommendation!.profile).toBe("batch");
    expect(out.recommendation!.basis).toMatch(/^max of working set \+ 50%/);
    expect(out.pattern).not.toBe("leak");
    expect(out.commands!.kubectl).toMatch(/^kubectl set resources cronjob\/etl /);
  });

  it("a JVM whose -Xmx is above its limit is limit too low, with the heap finding", () => {
    const out = analyzeScenario("jvm_xmx", { container: { env: { JAVA_OPTS: "-Xmx1g" } } });
    expect(out.pattern).toBe("limit_too_low");
    expect(out.leakConfidence).toBeLessThan(0.5);
    expect(out.findings[0]).toMatchObject({ code: "jvm_heap_exceeds_limit", severity: "critical" });
  });

  it("one leaking pod of several is still a leak, and the soonest pod sets the time to OOM", () => {
    const leak = generateSeries({ kind: "fast_leak", seed: 5, limitBytes: 512 * Mi }, { start: NOW - 7 * DAY, end: NOW, stepSeconds: 300 });
    const healthyPods = [1, 2, 3].map((i) => generateSeries({ kind: "healthy", seed: i, limitBytes: 512 * Mi }, { start: NOW - 7 * DAY, end: NOW, stepSeconds: 300 }));
    const out = analyzeContainer({
      now: NOW,
      container: { name: "app", workload: { kind: "Deployment", name: "app", replicas: 4 }, limitBytes: 512 * Mi, requestBytes: 256 * Mi },
      pods: [...healthyPods, leak].map((s, i) => ({ name: `p${i}`, t: s.t, workingSet: s.workingSet, terminations: s.terminations })),
    });
    expect(out.pattern).toBe("leak");
    expect(out.evidence.pods).toBe(4);
    const alone = analyzeContainer({ now: NOW, container: { name: "app", limitBytes: 512 * Mi }, pods: [{ name: "p3", t: leak.t, workingSet: leak.workingSet, terminations: leak.terminations }] });
    expect(out.timeToOomHours).toBe(alone.timeToOomHours);
    expect(out.usageOfLimit).toBe(alone.usageOfLimit);
  });

  it("guesses the profiler from the image and command", () => {
    const cmd = (container: Partial<ContainerInput>) => analyzeScenario("fast_leak", { container }).findings.find((f) => f.code === "profile_leak")!.command!;
    expect(cmd({ env: { GOMEMLIMIT: "400MiB" } })).toContain("go tool pprof");
    expect(cmd({ env: { JAVA_OPTS: "-Xmx300m" } })).toContain("jmap -dump");
    expect(cmd({ command: ["python", "-m", "worker"] })).toContain("PYTHONTRACEMALLOC");
    expect(cmd({ command: ["node", "dist/index.js"] })).toContain("heapsnapshot");
  });

  it("says so when there is not enough data", () => {
    const s = generateSeries({ kind: "healthy", seed: 1, limitBytes: 512 * Mi }, { start: NOW - 600, end: NOW, stepSeconds: 60 });
    const out = analyzeContainer({ now: NOW, container: { name: "c", limitBytes: 512 * Mi }, pods: [{ name: "p", t: s.t, workingSet: s.workingSet, terminations: [] }] });
    expect(out).toMatchObject({ pattern: "insufficient_data", recommendation: null, commands: null, cost: null });
  });
});
