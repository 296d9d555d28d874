import { expect } from "vitest";
import { analyzeContainer, type AnalysisOutput } from "@/lib/analysis";
import { generateSeries } from "@/lib/scenarios";
import { fleetPods, fleetSpec, mebibytes, type FleetWorkload } from "@/lib/scenarios/demo-fleet";

// What a Prometheus-compatible server holding a demo fleet's history should answer, from the same
// scenario models, shared by the suites of each server.

/** The engine's description of a demo workload's first container (spec from the fleet). */
export function containerInput(w: FleetWorkload) {
  const c = w.containers[0]!;
  return { namespace: w.namespace, workload: { kind: w.kind, name: w.name, replicas: w.replicas }, name: c.name, image: c.image, requestBytes: mebibytes(c.requestMi), limitBytes: mebibytes(c.limitMi) };
}

/** Each pod's scenario series of a demo workload's first container over [start, end]: what a server holding its history should answer. */
export function truthPods(cluster: string, w: FleetWorkload, start: number, end: number, step: number) {
  const c = w.containers[0]!;
  return fleetPods(cluster, w).map((p) => {
    const s = generateSeries(fleetSpec(cluster, w, c, p), { start, end, stepSeconds: step });
    return { name: p.name, t: s.t, workingSet: s.workingSet, terminations: s.terminations.filter((x) => x.at >= start) };
  });
}

/** The in-memory analysis of a demo workload's first container, from every sample of its scenario series. */
export function memoryAnalysis(cluster: string, w: FleetWorkload, start: number, end: number, step: number): AnalysisOutput {
  return analyzeContainer({ now: end, container: containerInput(w), pods: truthPods(cluster, w, start, end, step) });
}

/**
 * A whole-cluster analysis read from a server matches the in-memory one: samples counted from the
 * trend within 1 %, the sampled mean within 2 %, the maximum exactly, and the percentiles are ones
 * the engine accepts (p50 > 0, p50 <= p95 <= p99 <= max).
 */
export function expectStatsLikeMemory(viaServer: AnalysisOutput, memory: AnalysisOutput, what: string) {
  expect(Math.abs(viaServer.evidence.samples / memory.evidence.samples - 1), what).toBeLessThan(0.01);
  expect(Math.abs(viaServer.stats.mean / memory.stats.mean - 1), what).toBeLessThan(0.02);
  expect(viaServer.stats.max, what).toBe(memory.stats.max);
  expectSaneStats(viaServer.stats, what);
}

/** Percentiles the engine accepts: p50 > 0 and p50 <= p95 <= p99 <= max. */
export function expectSaneStats(s: AnalysisOutput["stats"], what: string) {
  expect(s.p50, what).toBeGreaterThan(0);
  expect(s.p95, what).toBeGreaterThanOrEqual(s.p50);
  expect(s.p99, what).toBeGreaterThanOrEqual(s.p95);
  expect(s.max, what).toBeGreaterThanOrEqual(s.p99);
}
