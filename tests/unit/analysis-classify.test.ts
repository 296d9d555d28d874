// The classification's thresholds and the summary's time words, each pinned at its boundary.
import { describe, expect, it } from "vitest";
import { analyzeContainer, classify, inWords, type ContainerInput } from "@/lib/analysis";
import { Gi, Mi } from "@/lib/analysis/quantity";
import { costDelta } from "@/lib/analysis/recommend";

const stats = (p95: number, extra: Partial<{ mean: number; p50: number; p99: number; max: number }> = {}) => ({ mean: p95, p50: p95, p95, p99: p95, max: p95, ...extra });

describe("classify", () => {
  it("is a leak from a leak confidence of 0.6, not below", () => {
    expect(classify(stats(100 * Mi), Gi, 0, 0.6)).toEqual({ pattern: "leak", confidence: 0.6 });
    // never certain: a perfect leak score reads 99%, others to two decimals
    expect(classify(stats(100 * Mi), Gi, 0, 1)).toEqual({ pattern: "leak", confidence: 0.99 });
    expect(classify(stats(100 * Mi), Gi, 0, 0.991)).toEqual({ pattern: "leak", confidence: 0.99 });
    expect(classify(stats(100 * Mi), Gi, 0, 0.873)).toEqual({ pattern: "leak", confidence: 0.87 });
    expect(classify(stats(100 * Mi), Gi, 0, 0.59).pattern).not.toBe("leak");
  });

  it("is limit too low from p95 at 80% of the limit with OOMKills, 90% without", () => {
    expect(classify(stats(0.8 * Gi), Gi, 1, 0).pattern).toBe("limit_too_low");
    expect(classify(stats(0.79 * Gi), Gi, 1, 0).pattern).toBe("spike");
    expect(classify(stats(0.9 * Gi), Gi, 0, 0).pattern).toBe("limit_too_low");
    expect(classify(stats(0.89 * Gi), Gi, 0, 0).pattern).toBe("healthy");
    // confidence grows with how near p95 is (75% -> 95%), with a bonus for kills, at most 0.99
    expect(classify(stats(0.8 * Gi), Gi, 1, 0).confidence).toBe(0.65);
    expect(classify(stats(0.9 * Gi), Gi, 0, 0).confidence).toBe(0.84);
    expect(classify(stats(0.95 * Gi), Gi, 1, 0).confidence).toBe(0.99);
    expect(classify(stats(0.9 * Gi), Gi, 0, 0.5).confidence).toBe(0.67);
  });

  it("is a spike when the max reaches 85% of the limit at 1.3x p95 or more, or on any OOMKill below the limit-too-low line", () => {
    expect(classify(stats(0.6 * Gi, { max: 0.85 * Gi }), Gi, 0, 0).pattern).toBe("spike");
    expect(classify(stats(0.6 * Gi, { max: 0.84 * Gi }), Gi, 0, 0).pattern).toBe("healthy");
    expect(classify(stats(0.66 * Gi, { max: 0.85 * Gi }), Gi, 0, 0).pattern).toBe("healthy"); // 1.29x p95
    expect(classify(stats(0.65 * Gi, { max: 0.85 * Gi }), Gi, 0, 0).pattern).toBe("spike"); // 1.31x
    expect(classify(stats(0.5 * Gi, { max: 0.8 * Gi }), Gi, 0, 0).pattern).toBe("healthy");
    expect(classify(stats(0.5 * Gi, { max: 0.8 * Gi }), Gi, 2, 0)).toEqual({ pattern: "spike", confidence: 0.84 });
    // killed without a visible burst: confidence from the kills alone (0.6 of the way)
    expect(classify(stats(0.5 * Gi, { max: 0.55 * Gi }), Gi, 2, 0)).toEqual({ pattern: "spike", confidence: 0.77 });
    expect(classify(stats(0.5 * Gi, { max: 0.95 * Gi }), Gi, 0, 0.2)).toEqual({ pattern: "spike", confidence: 0.86 });
  });

  it("without a limit: a spike if it was killed, else healthy at 0.6", () => {
    expect(classify(stats(Gi, { max: 2 * Gi }), null, 1, 0)).toEqual({ pattern: "spike", confidence: 0.9 });
    expect(classify(stats(Gi, { max: 1.15 * Gi }), null, 1, 0)).toEqual({ pattern: "spike", confidence: 0.5 });
    expect(classify(stats(Gi), null, 0, 0)).toEqual({ pattern: "healthy", confidence: 0.6 });
    expect(classify(stats(0), null, 1, 0)).toEqual({ pattern: "spike", confidence: 0.5 });
  });

  it("healthy confidence grows with room under 85% of the limit", () => {
    expect(classify(stats(0.5 * Gi), Gi, 0, 0).confidence).toBe(0.95);
    expect(classify(stats(0.85 * Gi), Gi, 0, 0).confidence).toBe(0.55);
    expect(classify(stats(0.7 * Gi), Gi, 0, 0).confidence).toBe(0.72);
  });
});

describe("the summary's time to OOM", () => {
  it.each([
    [0.001, "in about 1 minute"], [1.5 / 60, "in about 2 minutes"], [0.5, "in about 30 minutes"], [0.999, "in about 60 minutes"], [1, "in about 1 hour"], [1.4, "in about 1 hour"],
    [2, "in about 2 hours"], [47.9, "in about 48 hours"], [48, "in about 2 days"], [100, "in about 4 days"],
  ])("%s h reads %s", (h, text) => expect(inWords(h)).toBe(text));
});

describe("enough data", () => {
  const c: ContainerInput = { name: "app", workload: { kind: "Deployment", name: "api" }, requestBytes: 256 * Mi, limitBytes: Gi };
  const NOW = 1_764_900_000;
  const pod = (n: number, step: number) => ({
    name: "p", t: Float64Array.from({ length: n }, (_, i) => NOW - (n - 1 - i) * step), workingSet: Float64Array.from({ length: n }, () => 300 * Mi), terminations: [],
  });
  it("needs 12 samples over at least an hour", () => {
    expect(analyzeContainer({ now: NOW, container: c, pods: [pod(12, 3600 / 11)] }).pattern).not.toBe("insufficient_data");
    expect(analyzeContainer({ now: NOW, container: c, pods: [pod(11, 360)] }).pattern).toBe("insufficient_data");
    const short = analyzeContainer({ now: NOW, container: c, pods: [pod(60, 3599 / 59)] });
    expect(short.pattern).toBe("insufficient_data");
    expect(short.summary).toBe("Not enough data: 60 samples over 60 minutes; the verdict needs at least 12 samples over an hour.");
  });
});

describe("cost", () => {
  it("rounds to the cent, half up", () => {
    const c: ContainerInput = { name: "c", workload: { kind: "Deployment", name: "x", replicas: 3 }, requestBytes: Gi, limitBytes: 2 * Gi };
    // +1Mi at $128/GiB-month = $0.125 per replica -> $0.13, x3 = $0.375 -> $0.38
    const cost = costDelta(c, { profile: "stateless", requestBytes: Gi + Mi, limitBytes: 2 * Gi, request: "", limit: "", basis: "", noChange: false }, { perGiBMonth: 128 });
    expect(cost).toEqual({ currency: "USD", replicas: 3, monthlyDeltaPerReplica: 0.13, monthlyDeltaTotal: 0.38 });
    expect(costDelta(c, { profile: "stateless", requestBytes: Gi, limitBytes: Gi, request: "", limit: "", basis: "", noChange: false }, null)).toBeNull();
    expect(costDelta({ ...c, workload: { kind: "Deployment", name: "x", replicas: 0 } }, { profile: "stateless", requestBytes: 2 * Gi, limitBytes: 2 * Gi, request: "", limit: "", basis: "", noChange: false }, { currency: "EUR", perGiBMonth: 3 })).toEqual({ currency: "EUR", replicas: 1, monthlyDeltaPerReplica: 3, monthlyDeltaTotal: 3 });
  });
});

describe("classify: the remaining factors", () => {
  it("without a limit, a kill's confidence grows with the burst and shrinks with the leak confidence", () => {
    // burst (2 - 1.15) / 0.6 clamps to 1; 0.5 + 0.4 x 1 x (1 - 0.5)
    expect(classify(stats(Gi, { max: 2 * Gi }), null, 1, 0.5)).toEqual({ pattern: "spike", confidence: 0.7 });
  });

  it("a max of exactly 1.3x p95 at 85% of the limit or more is a spike, its confidence from the burst alone", () => {
    // 13 / 10 = 1.3; 13 >= 0.85 x 15; burst (1.3 - 1.15) / 0.6 = 0.25: 0.5 + 0.45 x 0.25 = 0.6125
    expect(classify(stats(10, { max: 13 }), 15, 0, 0)).toEqual({ pattern: "spike", confidence: 0.61 });
  });
});
