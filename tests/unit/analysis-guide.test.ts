import { describe, expect, it } from "vitest";
import { analyzeContainer, roundUpClean, type ContainerInput, type Termination } from "@/lib/analysis";
import { Gi, Mi } from "@/lib/analysis/quantity";
import { recommend, costDelta } from "@/lib/analysis/recommend";
import { specFindings } from "@/lib/analysis/findings";

const NOW = 1_764_900_000;
const H = 3600;

/** A sampled series from a function of time, every `step` seconds over `hours` before NOW. */
function sample(hours: number, step: number, f: (t: number) => number | null) {
  const t: number[] = [];
  const v: number[] = [];
  for (let x = NOW - hours * H; x <= NOW; x += step) {
    const y = f(x);
    if (y !== null) {
      t.push(x);
      v.push(y);
    }
  }
  return { t: Float64Array.from(t), workingSet: Float64Array.from(v) };
}

const noise = (t: number, amp: number) => amp * Math.sin(t * 12.9898) * Math.cos(t * 0.731);
const oom = (at: number): Termination => ({ at, reason: "OOMKilled", exitCode: 137 });

describe("clean quantities (domain guide)", () => {
  it.each([
    [663, 768], [845, 1024], [900, 1024], [100, 128], [510, 512], [513, 768], [4300, 4608], [9500, 10240], [64, 64],
  ])("%sMi rounds up to %sMi", (input, expected) => {
    expect(roundUpClean(input * Mi)).toBe(expected * Mi);
  });
});

describe("worked examples of the domain guide", () => {
  const database: ContainerInput = {
    name: "postgres", namespace: "data", workload: { kind: "StatefulSet", name: "database", replicas: 3 },
    requestBytes: 256 * Mi, limitBytes: 512 * Mi, image: "postgres:16.2",
  };

  it("p99 510Mi + 30% for a stateful app -> 768Mi limit, 512Mi request", () => {
    const rec = recommend(database, { mean: 450 * Mi, p50: 480 * Mi, p95: 505 * Mi, p99: 510 * Mi, max: 511 * Mi }, true);
    expect(rec).toMatchObject({ profile: "stateful", limit: "768Mi", request: "512Mi", limitBytes: 768 * Mi });
    expect(rec.basis).toMatch(/^p99 of working set \+ 30%/);
  });

  it("p95 650Mi x 1.3 = 845Mi rounds to 1Gi", () => {
    expect(roundUpClean(650 * 1.3 * Mi)).toBe(Gi);
  });

  it("the plateaued database: limit too low, not a leak, with the guide's command", () => {
    // plateau around 450-510Mi under a 512Mi limit, 12 OOMKills in 30 days at busy moments
    const kills = Array.from({ length: 12 }, (_, i) => NOW - (i + 1) * 58 * H);
    const s = sample(30 * 24, 300, (t) => (kills.some((k) => t > k && t < k + 60) ? null : 470 * Mi + noise(t, 38 * Mi)));
    const out = analyzeContainer({ now: NOW, container: database, pods: [{ name: "database-0", ...s, terminations: kills.map(oom) }], pricing: { currency: "USD", perGiBMonth: 3.2 } });
    expect(out.pattern).toBe("limit_too_low");
    expect(out.leakConfidence).toBeLessThan(0.2);
    expect(out.recommendation).toMatchObject({ limit: "768Mi", request: "512Mi" });
    expect(out.commands!.kubectl).toBe("kubectl set resources statefulset/database -n data -c postgres --limits=memory=768Mi --requests=memory=512Mi");
    expect(out.backtest).toMatchObject({ observedOomKills: 12, avoidedOomKills: 12 });
    expect(out.backtest!.tightestHeadroomBytes).toBeGreaterThan(200 * Mi);
    // 256Mi -> 512Mi of request at $3.20 per GiB-month: +$0.80 per replica, $2.40 for 3
    expect(out.cost).toEqual({ currency: "USD", replicas: 3, monthlyDeltaPerReplica: 0.8, monthlyDeltaTotal: 2.4 });
  });

  it("growth of 15Mi/h at 400Mi under a 512Mi limit: next OOMKill in 7.5 h", () => {
    // cycles restart at 200Mi and grow 15Mi/h until the 512Mi limit kills them; the current one is at 400Mi
    const cycleH = (512 - 200) / 15;
    const lastRestart = NOW - ((400 - 200) / 15) * H;
    const restarts = Array.from({ length: 6 }, (_, i) => lastRestart - i * cycleH * H);
    const s = sample(6 * cycleH, 60, (t) => {
      const r = restarts.find((x) => x <= t);
      if (r === undefined || t - r < 30) return null;
      return 200 * Mi + ((t - r) / H) * 15 * Mi + (((t % 300) / 300) - 0.5) * 6 * Mi; // GC sawtooth
    });
    const out = analyzeContainer({
      now: NOW,
      container: { name: "api", namespace: "web", workload: { kind: "Deployment", name: "api-server", replicas: 1 }, limitBytes: 512 * Mi, requestBytes: 256 * Mi, image: "ghcr.io/acme/api:1", command: ["/api"] },
      pods: [{ name: "api-server-1", ...s, terminations: restarts.slice(0, 5).map(oom) }],
    });
    expect(out.pattern).toBe("leak");
    expect(out.leakConfidence).toBeGreaterThan(0.9);
    expect(out.growthBytesPerHour! / Mi).toBeCloseTo(15, 0);
    expect(out.timeToOomHours).toBeGreaterThanOrEqual(7.2);
    expect(out.timeToOomHours).toBeLessThanOrEqual(7.8);
    expect(out.alert).toBe("none");
    expect(out.summary).toMatch(/^Memory grows 15Mi\/h and never plateaus; next OOMKill in about (7|8) hours\.$/);
    expect(out.findings.map((f) => f.code)).toContain("profile_leak");
  });

  it("alerts at 85% (warning) and 95% (critical) of the limit", () => {
    const at = (fraction: number) =>
      analyzeContainer({ now: NOW, container: { name: "c", limitBytes: 1000 * Mi }, pods: [{ name: "p", ...sample(3, 60, () => fraction * 1000 * Mi), terminations: [] }] });
    expect(at(0.84).alert).toBe("none");
    expect(at(0.85).alert).toBe("warning");
    expect(at(0.949).alert).toBe("warning");
    expect(at(0.95).alert).toBe("critical");
    expect(at(0.95).usageOfLimit).toBe(0.95);
  });

  it("costs the guide's example: +512Mi at $30/GiB-month is +$15 per replica, $150 for 10", () => {
    const c: ContainerInput = { name: "c", workload: { kind: "Deployment", name: "x", replicas: 10 }, requestBytes: 512 * Mi, limitBytes: Gi };
    const cost = costDelta(c, { profile: "stateless", requestBytes: Gi, limitBytes: 2 * Gi, request: "1Gi", limit: "2Gi", basis: "", noChange: false }, { currency: "USD", perGiBMonth: 30 });
    expect(cost).toEqual({ currency: "USD", replicas: 10, monthlyDeltaPerReplica: 15, monthlyDeltaTotal: 150 });
  });

  it("charges a missing request at the limit, as Kubernetes defaults it", () => {
    const c: ContainerInput = { name: "c", limitBytes: Gi, requestBytes: null };
    const cost = costDelta(c, { profile: "stateless", requestBytes: 512 * Mi, limitBytes: Gi, request: "512Mi", limit: "1Gi", basis: "", noChange: false }, { perGiBMonth: 4 });
    expect(cost!.monthlyDeltaPerReplica).toBe(-2);
  });

  it("keeps the request within 2x of the limit and never above it", () => {
    const rec = recommend({ name: "c", workload: { kind: "Deployment", name: "x" } }, { mean: 50 * Mi, p50: 40 * Mi, p95: 900 * Mi, p99: 950 * Mi, max: 990 * Mi }, false);
    expect(rec.limitBytes).toBeLessThanOrEqual(2 * rec.requestBytes);
    expect(rec.requestBytes).toBeLessThanOrEqual(rec.limitBytes);
    const batch = recommend({ name: "c", workload: { kind: "CronJob", name: "x" } }, { mean: 50 * Mi, p50: 40 * Mi, p95: 300 * Mi, p99: 350 * Mi, max: 400 * Mi }, false);
    // max 400Mi x 1.5 = 600Mi, above 512Mi so in steps of 256Mi
    expect(batch).toMatchObject({ profile: "batch", limit: "768Mi" });
  });
});

describe("findings from the pod spec", () => {
  it("flags a JVM -Xmx at or above the limit and a Node.js heap flag above it", () => {
    const jvm = specFindings({ name: "c", limitBytes: 768 * Mi, requestBytes: 512 * Mi, env: { JAVA_OPTS: "-Xms512m -Xmx1g" } });
    expect(jvm).toEqual([expect.objectContaining({ code: "jvm_heap_exceeds_limit", severity: "critical" })]);
    expect(jvm[0]!.message).toContain("-Xmx576m");
    const node = specFindings({ name: "c", limitBytes: Gi, requestBytes: 512 * Mi, command: ["node", "--max-old-space-size=1024", "server.js"] });
    expect(node.map((f) => f.code)).toEqual(["node_heap_exceeds_limit"]);
    expect(specFindings({ name: "c", limitBytes: Gi, requestBytes: 512 * Mi, command: ["node", "--max-old-space-size=768", "x.js"] })).toEqual([]);
  });

  it("flags no limit, no request, and a limit above twice the request", () => {
    expect(specFindings({ name: "c" }).map((f) => f.code)).toEqual(["no_memory_limit", "no_memory_request"]);
    expect(specFindings({ name: "c", requestBytes: 128 * Mi, limitBytes: Gi }).map((f) => f.code)).toEqual(["limit_above_2x_request"]);
    expect(specFindings({ name: "c", requestBytes: 512 * Mi, limitBytes: Gi })).toEqual([]);
  });
});
