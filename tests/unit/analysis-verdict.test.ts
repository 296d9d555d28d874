// The verdict as analyzeContainer assembles it, on series built so that each figure can be worked out
// by hand: what counts as evidence, the leak confidence from restart cycles, growth and time to OOM,
// raw statistics and their plausibility, the summary's sentences, and the fix's parts.
import { describe, expect, it } from "vitest";
import { AnalysisError, analyzeContainer, analyzeInput, type AnalysisInput, type ContainerInput, type Termination } from "@/lib/analysis";
import { Gi, Mi } from "@/lib/analysis/quantity";

const NOW = 1_764_900_000;
const H = 3600;

/** Samples every `step` s from NOW - `from` to NOW - `to` seconds (both included), of `f(t)` bytes. */
function samples(from: number, to: number, f: (t: number) => number, step = 60) {
  const t: number[] = [];
  const v: number[] = [];
  for (let x = NOW - from; x <= NOW - to; x += step) {
    t.push(x);
    v.push(f(x));
  }
  return { t, v };
}
const join = (...parts: { t: number[]; v: number[] }[]) => ({ t: Float64Array.from(parts.flatMap((p) => p.t)), workingSet: Float64Array.from(parts.flatMap((p) => p.v)) });
/** A flat stretch of `mi` Mi. */
const flat = (from: number, to: number, mi: number) => samples(from, to, () => mi * Mi);
/** Steady growth from `fromMi` at `perHourMi` Mi an hour. */
const ramp = (from: number, to: number, fromMi: number, perHourMi: number) => samples(from, to, (t) => fromMi * Mi + ((t - (NOW - from)) / H) * perHourMi * Mi);
const pod = (name: string, s: { t: Float64Array; workingSet: Float64Array }, terminations: Termination[] = []) => ({ name, ...s, terminations });
const oom = (at: number): Termination => ({ at, reason: "OOMKilled", exitCode: 137 });
const error = (at: number): Termination => ({ at, reason: "Error", exitCode: 1 });
const app = (extra: Partial<ContainerInput> = {}): ContainerInput => ({ name: "app", requestBytes: 512 * Mi, limitBytes: Gi, ...extra });
const run = (c: ContainerInput, pods: ReturnType<typeof pod>[], extra: Partial<Parameters<typeof analyzeContainer>[0]> = {}) => analyzeContainer({ now: NOW, container: c, pods, ...extra });

describe("what counts as evidence", () => {
  it("samples after the moment of analysis are not evidence yet; one at that very second is", () => {
    const s = join(flat(H, 60, 300), samples(0, 0, () => 400 * Mi), samples(-60, -60, () => 900 * Mi));
    const out = run(app(), [pod("p", s)]);
    expect(out.stats.max).toBe(400 * Mi);
    expect(out.evidence.samples).toBe(61);
    // the latest sample is the one at NOW: 400 / 1024 = 0.390625
    expect(out.usageOfLimit).toBe(0.391);
  });

  it("terminations after the moment of analysis are not evidence yet; one at that very second is; only OOMKilled ones are kills", () => {
    const s = join(flat(3 * H, 0, 300));
    expect(run(app(), [pod("p", s, [oom(NOW)])]).evidence.oomKills).toBe(1);
    expect(run(app(), [pod("p", s, [oom(NOW + 1)])]).evidence.oomKills).toBe(0);
    expect(run(app(), [pod("p", s, [error(NOW - H)])]).evidence.oomKills).toBe(0);
  });

  it("counts samples and pods, and the window from the first sample of any pod to the last of any", () => {
    const out = run(app(), [pod("a", join(flat(5 * H, H, 300))), pod("b", join(flat(3 * H, 0, 300)))]);
    expect(out.evidence).toEqual({ samples: 241 + 181, pods: 2, cycles: 2, oomKills: 0, windowHours: 5 });
    // 8136 s is 2.26 h: one decimal
    expect(run(app(), [pod("p", join(samples(8136, 0, () => 300 * Mi, 36)))]).evidence.windowHours).toBe(2.3);
  });

  it("usage of the limit is the highest pod's latest sample, not any pod's peak", () => {
    const a = join(flat(5 * H, 2 * H, 900), flat(2 * H - 60, H, 500));
    const b = join(flat(3 * H, 0, 300));
    expect(run(app({ limitBytes: 1000 * Mi }), [pod("a", a), pod("b", b)]).usageOfLimit).toBe(0.5);
    // three decimals
    expect(run(app({ limitBytes: 900 * Mi }), [pod("b", b)]).usageOfLimit).toBe(0.333);
    expect(run(app({ limitBytes: null }), [pod("b", b)])).toMatchObject({ usageOfLimit: null, alert: "none" });
  });
});

describe("not enough data", () => {
  it("says so, with the findings the pod spec alone shows and its heap ceilings as they are today", () => {
    const out = run(app({ requestBytes: 256 * Mi, env: { JAVA_OPTS: "-Xmx768m" } }), [pod("p", join(flat(600, 0, 300)))]);
    expect(out).toEqual({
      pattern: "insufficient_data", confidence: 1, leakConfidence: 0, growthBytesPerHour: null, timeToOomHours: null,
      usageOfLimit: 0.293, alert: "none", stats: { mean: 300 * Mi, p50: 300 * Mi, p95: 300 * Mi, p99: 300 * Mi, max: 300 * Mi },
      findings: [expect.objectContaining({ code: "limit_above_2x_request" })],
      recommendation: null, backtest: null, cost: null, commands: null,
      heapCeilings: [{ runtime: "jvm", setting: "-Xmx768m", variable: "JAVA_OPTS", currentBytes: 768 * Mi, recommendedBytes: null, maxShareOfLimit: 0.75, lowered: false }],
      summary: "Not enough data: 11 samples over 10 minutes; the verdict needs at least 12 samples over an hour.",
      evidence: { samples: 11, pods: 1, cycles: 0, oomKills: 0, windowHours: 0.2 },
    });
  });

  it("a heap ceiling's size today: relative ones scale with the limit, and without a limit only absolute ones have a size", () => {
    const ceiling = (c: Partial<ContainerInput>) => run(app(c), [pod("p", join(flat(600, 0, 300)))]).heapCeilings[0]!.currentBytes;
    expect(ceiling({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=60.5" } })).toBe(Math.round(0.605 * Gi));
    expect(ceiling({ limitBytes: null, env: { JAVA_OPTS: "-XX:MaxRAMPercentage=50" } })).toBeNull();
    expect(ceiling({ limitBytes: null, env: { NODE_OPTIONS: "--max-old-space-size=300" } })).toBe(300 * Mi);
    expect(run(app({ env: { GOMEMLIMIT: "900MiB" } }), [pod("p", join(flat(600, 0, 300)))]).heapCeilings[0]).toMatchObject({ runtime: "go", maxShareOfLimit: 0.9 });
  });

  it("pods without samples: no usage, and no verdict", () => {
    const empty = pod("p", join());
    expect(run(app(), [empty])).toMatchObject({ pattern: "insufficient_data", usageOfLimit: null, alert: "none", evidence: { samples: 0, windowHours: 0 } });
  });
});

describe("the leak confidence of a pod's restart cycles", () => {
  it("steady growth without a kill: 0.8 of its cycles' score", () => {
    const out = run(app(), [pod("p", join(ramp(6 * H, 0, 100, 50)))]);
    expect(out).toMatchObject({ pattern: "leak", confidence: 0.8, leakConfidence: 0.8 });
  });

  // three 6-hour cycles of growth, each restarting at 100Mi
  const cycles = join(ramp(18 * H, 12 * H + 60, 100, 50), ramp(12 * H, 6 * H + 60, 100, 50), ramp(6 * H, 0, 100, 50));
  const ends = [NOW - 12 * H - 30, NOW - 6 * H - 30];

  it("the pattern repeating after kills raises it: 0.9 after one, 1 after two", () => {
    expect(run(app(), [pod("p", cycles, [oom(ends[0]!), oom(ends[1]!)])]).leakConfidence).toBe(1);
    expect(run(app(), [pod("p", cycles, [error(ends[0]!), oom(ends[1]!)])]).leakConfidence).toBe(0.9);
    expect(run(app(), [pod("p", cycles, [error(ends[0]!), error(ends[1]!)])]).leakConfidence).toBe(0.8);
  });

  it("cycles count by their length: 24 flat buckets and 49 growing ones give 49/73 of the score", () => {
    // a flat 2-hour cycle (score 0) ended by a restart, then 6 hours of growth (score 1): 0.8 x 49/73 = 0.537
    const s = join(flat(8 * H, 6 * H + 60, 100), ramp(6 * H, 0, 100, 50));
    expect(run(app(), [pod("p", s, [error(NOW - 6 * H - 30)])]).leakConfidence).toBe(0.54);
    // a kill at the end of a cycle that did not grow is no repetition of a leak
    expect(run(app(), [pod("p", s, [oom(NOW - 6 * H - 30)])]).leakConfidence).toBe(0.54);
  });

  it("is the most leaking pod's", () => {
    const out = run(app(), [pod("a", join(flat(6 * H, 0, 300))), pod("b", join(ramp(6 * H, 0, 100, 50)))]);
    expect(out.leakConfidence).toBe(0.8);
    expect(out.evidence.cycles).toBe(2);
  });
});

describe("growth and time to OOM", () => {
  it("(limit - latest) / growth in the current cycle, to one decimal", () => {
    // 400Mi at NOW, 50Mi/h: (1000 - 400) / 50 = 12 h; (1024 - 400) / 50 = 12.48 h
    expect(run(app({ limitBytes: 1000 * Mi }), [pod("p", join(ramp(6 * H, 0, 100, 50)))])).toMatchObject({ growthBytesPerHour: 50 * Mi, timeToOomHours: 12 });
    const out = run(app(), [pod("p", join(ramp(6 * H, 0, 100, 50)))]);
    expect(out.timeToOomHours).toBe(12.5);
    expect(out.summary).toBe("Memory grows 50Mi/h and never plateaus; next OOMKill in about 13 hours. The sizing is right: the recommendation equals the current request and limit, nothing to change.");
    // already above the limit: now, not a negative time
    expect(run(app({ limitBytes: 350 * Mi, requestBytes: null }), [pod("p", join(ramp(6 * H, 0, 100, 50)))]).timeToOomHours).toBe(0);
  });

  it("without a limit there is no time to OOM, only the growth", () => {
    const out = run(app({ limitBytes: null }), [pod("p", join(ramp(6 * H, 0, 100, 50)))]);
    expect(out).toMatchObject({ pattern: "leak", growthBytesPerHour: 50 * Mi, timeToOomHours: null });
    expect(out.summary).toBe("Memory grows 50Mi/h and never plateaus: a leak (no OOMKills in 6 hours).");
  });

  it("growing means at least 1% of the limit a day: slower growth has no time to OOM", () => {
    // 5 days of growth from 100Mi under a 1000Mi limit: 10.5Mi/day reaches it in (1000 - 152.5) / (10.5 / 24) = 1937.1 h
    const at = (perDay: number) => run(app({ limitBytes: 1000 * Mi }), [pod("p", join(ramp(5 * 24 * H, 0, 100, perDay / 24)))]);
    expect(at(10.5).timeToOomHours).toBe(1937.1);
    const slow = at(9.5);
    expect(slow.timeToOomHours).toBeNull();
    expect(slow.growthBytesPerHour).toBe(Math.round((9.5 / 24) * Mi));
  });

  it("the soonest pod to reach the limit sets the time to OOM, whatever the order of the pods", () => {
    // a: 400Mi at 50Mi/h (12.5 h), b: 700Mi at 100Mi/h ((1024 - 700) / 100 = 3.2 h), c: flat
    const a = pod("api-a", join(ramp(6 * H, 0, 100, 50)));
    const b = pod("api-b", join(ramp(6 * H, 0, 100, 100)));
    const c = pod("api-c", join(flat(6 * H, 0, 300)));
    for (const pods of [[a, b, c], [c, b, a], [b, a], [a, c, b]]) {
      const out = run(app({ namespace: "shop" }), pods);
      expect(out).toMatchObject({ timeToOomHours: 3.2, growthBytesPerHour: 100 * Mi });
      // the profiling command targets that pod
      expect(out.findings.find((f) => f.code === "profile_leak")!.command).toContain(" api-b ");
    }
  });

  it("without a limit, the fastest growth; a pod that does not grow has 0", () => {
    const a = pod("a", join(ramp(6 * H, 0, 100, 50)));
    const b = pod("b", join(ramp(6 * H, 0, 100, 100)));
    expect(run(app({ limitBytes: null }), [a, b]).growthBytesPerHour).toBe(100 * Mi);
    expect(run(app({ limitBytes: null }), [b, a]).growthBytesPerHour).toBe(100 * Mi);
    expect(run(app(), [pod("c", join(flat(6 * H, 0, 300)))])).toMatchObject({ growthBytesPerHour: 0, timeToOomHours: null });
  });

  it("a leak's recommendation says how long its limit lasts between kills", () => {
    // from the restart floor of 100Mi to the kept 1Gi limit at 50Mi/h: 18.5 h
    expect(run(app(), [pod("p", join(ramp(6 * H, 0, 100, 50)))]).recommendation!.basis).toBe(
      "p95 of working set + 20% = 462Mi, rounded up; kept at the current 1Gi: a smaller limit would bring the leak's next kill forward; at 50Mi/h, 1Gi gives about 18 h between kills — the leak still needs fixing",
    );
  });
});

describe("statistics the metrics source computed from the raw samples", () => {
  const s = join(flat(3 * H, 0, 300));
  const raw = (stats: Partial<Record<"mean" | "p50" | "p95" | "p99" | "max", number>>) => ({ stats: { mean: 310 * Mi, p50: 300 * Mi, p95: 320 * Mi, p99: 330 * Mi, max: 340 * Mi, ...stats }, samples: 10_000 });
  const withRaw = (r: ReturnType<typeof raw>, series = s) => run(app(), [pod("p", series)], { rawStats: r });

  it("are the statistics of the verdict, and their sample count the evidence", () => {
    const out = withRaw(raw({ mean: 310.4 * Mi }));
    expect(out.stats).toEqual({ mean: Math.round(310.4 * Mi), p50: 300 * Mi, p95: 320 * Mi, p99: 330 * Mi, max: 340 * Mi });
    expect(out.evidence.samples).toBe(10_000);
    // p95 320Mi x 1.2 = 384Mi
    expect(out.recommendation!.limit).toBe("384Mi");
  });

  it("are not used without samples", () => {
    const out = withRaw(raw({ p50: 0 }), join());
    expect(out.stats).toEqual({ mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(out.evidence.samples).toBe(0);
  });

  it("are refused when impossible, each check on its own", () => {
    const refused = (r: ReturnType<typeof raw>, why: string) => {
      expect(() => withRaw(r)).toThrow(AnalysisError);
      expect(() => withRaw(r)).toThrow(`impossible statistics from the metrics source (${why}): `);
    };
    refused(raw({ mean: Number.NaN }), "mean is not a non-negative number");
    refused(raw({ p50: -1 }), "p50 is not a non-negative number");
    refused(raw({ p95: Infinity }), "p95 is not a non-negative number");
    refused(raw({ p99: -1 }), "p99 is not a non-negative number");
    refused(raw({ max: -1 }), "max is not a non-negative number");
    refused(raw({ p50: 0 }), "a percentile of 0 for a container with samples");
    refused(raw({ p95: 0 }), "a percentile of 0 for a container with samples");
    refused(raw({ p99: 0 }), "a percentile of 0 for a container with samples");
    refused(raw({ p50: 320 * Mi * 1.006 }), "percentiles out of order");
    refused(raw({ p95: 330 * Mi * 1.006 }), "percentiles out of order");
    refused(raw({ p99: 340 * Mi * 1.006 }), "p99 or the mean above the maximum");
    refused(raw({ mean: 340 * Mi * 1.006 }), "p99 or the mean above the maximum");
    expect(() => withRaw(raw({ p99: 350 * Mi, mean: 1.5 * Mi }))).toThrow("): p50 300Mi, p95 320Mi, p99 350Mi, mean 1.5Mi, max 340Mi; refusing to recommend from them");
  });

  it("tolerate 0.5% of overlap between neighbours, and zeros for a container whose samples are all 0", () => {
    expect(() => withRaw(raw({ p50: 320 * Mi * 1.005 }))).not.toThrow();
    expect(() => withRaw(raw({ p95: 330 * Mi * 1.005, p50: 320 * Mi }))).not.toThrow();
    expect(() => withRaw(raw({ p99: 340 * Mi * 1.005, p95: 340 * Mi, p50: 320 * Mi }))).not.toThrow();
    expect(() => withRaw(raw({ mean: 340 * Mi * 1.005 }))).not.toThrow();
    expect(() => withRaw({ stats: { mean: 0, p50: 0, p95: 0, p99: 0, max: 0 }, samples: 100 }, join(flat(3 * H, 0, 0)))).not.toThrow();
  });
});

describe("kills between scrapes", () => {
  const kills = [oom(NOW - 2 * H), oom(NOW - H)];
  it("a container killed though no sample came within 85% of the limit: the spikes are shorter than the scrapes", () => {
    const out = run(app(), [pod("p", join(flat(3 * H, 0, 500)), kills)]);
    expect(out.findings.find((f) => f.code === "oom_between_scrapes")).toEqual({
      code: "oom_between_scrapes", severity: "info",
      message: "The container was OOMKilled 2 times although no sample came near the 1Gi limit (max 500Mi): the spikes are shorter than the scrape interval.",
    });
  });

  it("not at 85% of the limit, not without kills, not without a limit", () => {
    const codes = (c: ContainerInput, mi: number, k: Termination[]) => run(c, [pod("p", join(flat(3 * H, 0, mi)), k)]).findings.map((f) => f.code);
    expect(codes(app({ limitBytes: 1000 * Mi }), 850, kills)).not.toContain("oom_between_scrapes");
    expect(codes(app({ limitBytes: 1000 * Mi }), 849, kills)).toContain("oom_between_scrapes");
    expect(codes(app(), 500, [])).not.toContain("oom_between_scrapes");
    expect(codes(app({ limitBytes: null }), 500, kills)).not.toContain("oom_between_scrapes");
  });
});

describe("the summary", () => {
  const window = (hours: number, mi: number, c: ContainerInput = app(), k: Termination[] = []) => run(c, [pod("p", join(flat(hours * H, 0, mi)), k)]);

  it("limit too low", () => {
    // 950 / 1024 = 92.8%
    expect(window(3, 950).summary).toBe("Usage plateaus at 93% of the 1Gi limit (p99 950Mi) with no OOMKills in 3 hours: the limit is too low, not a leak.");
  });

  it("counts the window in hours below a day and a half, in days from there", () => {
    expect(window(35, 950).summary).toContain("with no OOMKills in 35 hours:");
    expect(window(36, 950).summary).toContain("with no OOMKills in 2 days:");
  });

  it("spikes towards the limit, or past it with kills; without a limit the figures are in Mi", () => {
    // 500Mi with a 900Mi burst: p50 48.8% of the limit
    const s = join(flat(3 * H, 2 * H + 60, 500), flat(2 * H, 2 * H, 900), flat(2 * H - 60, 0, 500));
    expect(run(app(), [pod("p", s)]).summary).toBe("Usage sits around 49% of the limit but bursts towards it: no OOMKills in 3 hours (p95 500Mi, max 900Mi).");
    expect(run(app(), [pod("p", s, [oom(NOW - H)])]).summary).toBe("Usage sits around 49% of the limit but bursts past it: 1 OOMKill in 3 hours (p95 500Mi, max 900Mi).");
    expect(run(app({ limitBytes: null }), [pod("p", s, [oom(NOW - H), oom(NOW - 30)])]).summary).toBe(
      "Usage sits around 500Mi of the limit but bursts past it: 2 OOMKills in 3 hours (p95 500Mi, max 900Mi).",
    );
  });

  it("healthy: over-provisioned below 40% of the limit, else the share, or the figure without a limit", () => {
    expect(window(3, 300).summary).toBe("Healthy and over-provisioned: p99 uses 29% of the 1Gi limit.");
    expect(window(3, 400, app({ limitBytes: 1000 * Mi })).summary).toBe("Healthy: p99 at 40% of the 1000Mi limit, no OOMKills in 3 hours.");
    expect(window(3, 300, app({ limitBytes: null })).summary).toBe("Healthy: p99 at 300Mi of the observed range, no OOMKills in 3 hours.");
  });

  it("names a heap ceiling at or above the limit as the cause of kills", () => {
    const k1 = [oom(NOW - H)];
    expect(window(3, 800, app({ env: { JAVA_OPTS: "-Xmx1g" } }), k1).summary).toBe(
      "The JVM heap may grow past the limit: -Xmx1g (1Gi) is at or above the 1Gi limit, so the kernel kills the process before the garbage collector has to work hard (1 OOMKill).",
    );
    expect(window(3, 800, app({ env: { NODE_OPTIONS: "--max-old-space-size=2048" } }), [...k1, oom(NOW - 60)]).summary).toBe(
      "The Node.js heap may grow past the limit: --max-old-space-size=2048 (2Gi) is at or above the 1Gi limit, so the kernel kills the process before the garbage collector has to work hard (2 OOMKills).",
    );
    expect(window(3, 800, app({ env: { GOMEMLIMIT: "1GiB" } }), k1).summary).toBe(
      "The Go heap's soft limit may grow past the limit: GOMEMLIMIT=1GiB (1Gi) is at or above the 1Gi limit, so the kernel kills the process before the runtime has to work hard (1 OOMKill).",
    );
    // below the limit, without kills, or without a limit: the usual sentence
    expect(window(3, 800, app({ env: { JAVA_OPTS: "-Xmx1023m" } }), k1).summary).toMatch(/^Usage sits around/);
    expect(window(3, 800, app({ env: { JAVA_OPTS: "-Xmx1g" } })).summary).toMatch(/^Healthy/);
    expect(window(3, 800, app({ limitBytes: null, env: { JAVA_OPTS: "-Xmx1g" } }), k1).summary).toMatch(/^Usage sits around/);
  });

  it("not for a leak: the growth is the cause", () => {
    const out = run(app({ env: { JAVA_OPTS: "-Xmx1g" } }), [pod("p", join(ramp(6 * H, 0, 100, 50)), [oom(NOW - 7 * H)])]);
    expect(out.pattern).toBe("leak");
    expect(out.summary).toMatch(/^Memory grows 50Mi\/h/);
  });
});

describe("the fix", () => {
  it("a recommendation equal to the current sizing is no change: no cost, no commands, and the summary says so", () => {
    // p95 800Mi x 1.2 = 960Mi -> 1Gi, request p50 800Mi -> 1Gi
    const out = run(app({ requestBytes: Gi, workload: { kind: "Deployment", name: "api", replicas: 2 } }), [pod("p", join(flat(3 * H, 0, 800)))], { pricing: { perGiBMonth: 3 } });
    expect(out).toMatchObject({ pattern: "healthy", cost: null, commands: null });
    expect(out.summary).toBe("Healthy: p99 at 78% of the 1Gi limit, no OOMKills in 3 hours. The sizing is right: the recommendation equals the current request and limit, nothing to change.");
    const change = run(app({ workload: { kind: "Deployment", name: "api", replicas: 2 } }), [pod("p", join(flat(3 * H, 0, 800)))], { pricing: { perGiBMonth: 3 } });
    expect(change.cost).toEqual({ currency: "USD", replicas: 2, monthlyDeltaPerReplica: 1.5, monthlyDeltaTotal: 3 });
    expect(change.commands!.kubectl).toBe("kubectl set resources deployment/api -c app --limits=memory=1Gi --requests=memory=1Gi");
    expect(change.summary).not.toContain("The sizing is right");
  });

  it("resizes in place the pods whose samples reach within 15 minutes of the last one", () => {
    // request 1Gi -> 1536Mi under a 2Gi limit: the QoS class stays, so the running pods can be resized
    const c = app({ namespace: "shop", requestBytes: Gi, limitBytes: 2 * Gi, workload: { kind: "Deployment", name: "api", replicas: 3 } });
    const pods = [pod("api-c", join(flat(3 * H, 900, 1500))), pod("api-a", join(flat(3 * H, 0, 1500))), pod("api-b", join(samples(901 + 180 * 60, 901, () => 1500 * Mi)))];
    const resize = run(c, pods).commands!.resize!.split("\n").map((l) => l.split(" ")[3]);
    expect(resize).toEqual(["api-a", "api-c"]);
  });

  it("the backtest assumes the heap setting closest to the new limit stays where the fix puts it", () => {
    // killed at 1Gi: the limit goes to the next clean quantity, 1280Mi; -Xmx1g comes down to 960m (75%)
    const kill = [oom(NOW - H)];
    const note = (env: Record<string, string>) => run(app({ env }), [pod("p", join(flat(3 * H, 0, 800)), kill)]).backtest!.note;
    expect(note({ JAVA_OPTS: "-Xmx1g", GOMEMLIMIT: "900MiB" })).toMatch(/ It assumes the heap stays under -Xmx960m, as the fix sets it\.$/);
    // GOMEMLIMIT=1100MiB is 86% of 1280Mi: closer to the limit than the JVM's 75%
    expect(note({ JAVA_OPTS: "-Xmx1g", GOMEMLIMIT: "1100MiB" })).toMatch(/ It assumes the heap stays under GOMEMLIMIT=1100MiB, as the fix sets it\.$/);
    expect(note({ GOMEMLIMIT: "1100MiB", JAVA_OPTS: "-Xmx1g" })).toMatch(/ It assumes the heap stays under GOMEMLIMIT=1100MiB, as the fix sets it\.$/);
    // a tie (960MiB is 75% of 1280Mi too): the first runtime listed, the JVM
    expect(note({ GOMEMLIMIT: "960MiB", JAVA_OPTS: "-Xmx1g" })).toMatch(/ It assumes the heap stays under -Xmx960m, as the fix sets it\.$/);
  });

  it("reports each heap ceiling today, at the recommendation and after the fix", () => {
    const out = run(app({ env: { JAVA_OPTS: "-Xmx1g" } }), [pod("p", join(flat(3 * H, 0, 800)))]);
    expect(out.heapCeilings).toEqual([{ runtime: "jvm", setting: "-Xmx1g", variable: "JAVA_OPTS", currentBytes: Gi, recommendedBytes: 768 * Mi, maxShareOfLimit: 0.75, lowered: true }]);
    const pct = run(app({ env: { JAVA_OPTS: "-XX:MaxRAMPercentage=60.5" } }), [pod("p", join(flat(3 * H, 0, 800)))]);
    expect(pct.heapCeilings).toEqual([{ runtime: "jvm", setting: "-XX:MaxRAMPercentage=60.5", variable: "JAVA_OPTS", currentBytes: 0.605 * Gi, recommendedBytes: Math.round(0.605 * Gi), maxShareOfLimit: 0.75, lowered: false }]);
  });
});

describe("edge cases of the verdict's assembly", () => {
  it("a single series is the pod the container names, or the container itself; its terminations are the kills", () => {
    const workingSet = samples(3 * H, 0, () => 1500 * Mi).t.map((t): [number, number] => [t, 1500 * Mi]);
    const input = (extra: Partial<AnalysisInput>): AnalysisInput => ({
      now: NOW, container: { name: "app", namespace: "shop", workload: { kind: "Deployment", name: "api" }, requestBytes: Gi, limitBytes: 2 * Gi }, series: { workingSet }, ...extra,
    });
    const named = analyzeInput(input({ container: { ...input({}).container, pod: "api-7" }, terminations: [oom(NOW - H)] }));
    expect(named.evidence.oomKills).toBe(1);
    expect(named.commands!.resize).toMatch(/^kubectl patch pod api-7 -n shop /);
    const unnamed = analyzeInput(input({}));
    expect(unnamed.evidence.oomKills).toBe(0);
    expect(unnamed.commands!.resize).toMatch(/^kubectl patch pod app -n shop /);
  });

  it("a pod without samples does not shift the window", () => {
    const out = run(app(), [pod("empty", join()), pod("p", join(flat(3 * H, 0, 300)))]);
    expect(out.evidence).toMatchObject({ windowHours: 3, pods: 2, samples: 181 });
    expect(out.summary).toBe("Healthy and over-provisioned: p99 uses 29% of the 1Gi limit.");
    expect(run(app({ limitBytes: 1000 * Mi }), [pod("empty", join()), pod("p", join(flat(3 * H, 0, 400)))]).summary).toBe("Healthy: p99 at 40% of the 1000Mi limit, no OOMKills in 3 hours.");
  });

  it("raw statistics are not even checked without samples", () => {
    const raw = { stats: { mean: 310 * Mi, p50: 400 * Mi, p95: 320 * Mi, p99: 330 * Mi, max: 340 * Mi }, samples: 10 };
    expect(() => run(app(), [pod("p", join())], { rawStats: raw })).not.toThrow();
  });

  it("only a leak gets the profiling finding and the time between kills", () => {
    expect(run(app(), [pod("p", join(flat(3 * H, 0, 300)))]).findings).toEqual([]);
    // growing 9.5Mi a day: healthy, though it grows
    const slow = run(app({ limitBytes: 1000 * Mi }), [pod("p", join(ramp(5 * 24 * H, 0, 100, 9.5 / 24)))]);
    expect(slow.pattern).toBe("healthy");
    expect(slow.recommendation!.basis).not.toContain("between kills");
  });

  it("a pod whose current cycle cannot be measured and whose past cycles do not grow has no growth", () => {
    const out = run(app(), [pod("p", join(flat(3 * H, 30 * 60 + 60, 300), flat(30 * 60, 0, 300)), [error(NOW - 30 * 60 - 30)])]);
    expect(out).toMatchObject({ growthBytesPerHour: null, timeToOomHours: null, evidence: { cycles: 1 } });
  });

  it("a pod without a cycle long enough to measure has a leak confidence of 0", () => {
    const out = run(app(), [pod("p", join(flat(70 * 60, 35 * 60 + 60, 300), flat(35 * 60, 0, 300)), [error(NOW - 35 * 60 - 30)])]);
    expect(out).toMatchObject({ pattern: "healthy", leakConfidence: 0, growthBytesPerHour: null, evidence: { cycles: 0, samples: 71 } });
  });

  it("pods equally soon to reach the limit: the first one listed", () => {
    // both already above a 350Mi limit: 0 h each
    const a = pod("a", join(ramp(6 * H, 0, 100, 50)));
    const b = pod("b", join(ramp(6 * H, 0, 100, 100)));
    const c = app({ limitBytes: 350 * Mi, requestBytes: null });
    expect(run(c, [a, b])).toMatchObject({ timeToOomHours: 0, growthBytesPerHour: 50 * Mi });
    expect(run(c, [b, a])).toMatchObject({ timeToOomHours: 0, growthBytesPerHour: 100 * Mi });
  });

  it("a pod that grows faster but not steadily does not replace one with a time to OOM", () => {
    // a: 50Mi/h steadily (12.5 h); s: a step from 100Mi to 800Mi in two hours, then flat: faster on a line, but a plateau
    const a = pod("a", join(ramp(6 * H, 0, 100, 50)));
    const s = pod("s", join(samples(6 * H, 0, (t) => Math.min(800, 100 + ((t - (NOW - 6 * H)) / H) * 350) * Mi)));
    const out = run(app(), [a, s]);
    expect(out).toMatchObject({ timeToOomHours: 12.5, growthBytesPerHour: 50 * Mi });
  });

  it("a leak whose current cycle does not grow: no time between kills, and the profile targets the first such pod", () => {
    // two 4-hour cycles of growth ended by kills, then 2 flat hours at 150Mi
    const leaky = join(ramp(10 * H, 6 * H + 60, 100, 75), ramp(6 * H, 2 * H + 60, 100, 75), flat(2 * H, 0, 150));
    const kills = [oom(NOW - 6 * H - 30), oom(NOW - 2 * H - 30)];
    const out = run(app({ namespace: "shop" }), [pod("x", leaky, kills), pod("y", leaky, kills)]);
    // repeated after kills (x 1), weighted by buckets: 48 + 48 growing (score 1), 25 flat (score 0): 96/121
    expect(out).toMatchObject({ pattern: "leak", leakConfidence: 0.79, growthBytesPerHour: 0, timeToOomHours: null });
    expect(out.recommendation!.basis).not.toContain("between kills");
    expect(out.findings.find((f) => f.code === "profile_leak")!.command).toContain(" x ");
    expect(run(app({ namespace: "shop" }), [pod("y", leaky, kills), pod("x", leaky, kills)]).findings.find((f) => f.code === "profile_leak")!.command).toContain(" y ");
  });

  it("a leak that would reach its limit within the hour: the time between kills in minutes", () => {
    // 20 pods flat at 100Mi and one growing 1000Mi/h for an hour: p95 100Mi x 1.2 -> 128Mi; from the 100Mi floor, 28Mi at 1000Mi/h is 1.7 min
    const flats = Array.from({ length: 20 }, (_, i) => pod(`f${i}`, join(flat(H, 0, 100))));
    const out = run(app({ limitBytes: null, requestBytes: null }), [...flats, pod("fast", join(ramp(H, 0, 100, 1000)))]);
    expect(out.pattern).toBe("leak");
    expect(out.recommendation!.basis).toMatch(/; at 1000Mi\/h, 128Mi gives about 2 min between kills — the leak still needs fixing$/);
    // 28Mi at 56Mi/h is half an hour; at 28Mi/h it is the hour, written in hours
    const at = (perHour: number) => run(app({ limitBytes: null, requestBytes: null }), [...flats, pod("fast", join(ramp(H, 0, 100, perHour)))]).recommendation!.basis;
    expect(at(56)).toMatch(/; at 56Mi\/h, 128Mi gives about 30 min between kills/);
    expect(at(28)).toMatch(/; at 28Mi\/h, 128Mi gives about 1 h between kills/);
  });
});
