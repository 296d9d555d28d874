import { summarizeAll } from "@/lib/analysis/stats";
import { DEMO_FLEET, fleetPods, fleetSpec, type FleetCluster } from "@/lib/scenarios/demo-fleet";
import { generateSeries } from "@/lib/scenarios";
import type { ScenarioSeries, ScenarioSpec, SeriesWindow } from "@/lib/scenarios/types";
import { refKey, type AnalysisHistory, type ContainerRef, type MetricsSource, type PodSeries } from "./source";

/** How often the simulated clusters' Prometheus scrapes cAdvisor: the raw samples every read is folded from. */
export const DEMO_SCRAPE_SECONDS = 30;
/** How far back the latest working set looks, as Prometheus's last_over_time[10m] does. */
const LATEST_LOOKBACK_SECONDS = 600;
/** Reads kept for the next caller (a container page reads the same window for its chart and its verdict). */
const MEMO_SIZE = 24;

/**
 * Simulated clusters: memory history computed from the demo fleet's scenario models, read the way
 * Headroom reads a real Prometheus. The models are scraped every DEMO_SCRAPE_SECONDS on a grid fixed
 * to absolute time, and a history at a coarser step keeps each step's highest sample
 * (max_over_time), so a spike shorter than the step still shows, and the same window always gives
 * the same series.
 */
export class DemoSource implements MetricsSource {
  private readonly memo = new Map<string, Promise<AnalysisHistory>>();
  private turns: Promise<void> = Promise.resolve();

  constructor(private readonly fleet: FleetCluster[] = DEMO_FLEET) {}

  private find(ref: ContainerRef) {
    const cluster = this.fleet.find((c) => c.slug === ref.cluster);
    const workload = cluster?.workloads.find(
      (w) => w.namespace === ref.namespace && w.name === ref.workloadName && w.kind === ref.workloadKind,
    );
    const container = workload?.containers.find((c) => c.name === ref.container);
    return cluster && workload && container ? { cluster, workload, container } : null;
  }

  private specs(ref: ContainerRef): { pod: string; spec: ScenarioSpec }[] {
    const found = this.find(ref);
    if (!found) return [];
    const { cluster, workload, container } = found;
    return fleetPods(cluster.slug, workload).map((pod) => ({ pod: pod.name, spec: fleetSpec(cluster.slug, workload, container, pod) }));
  }

  /** Each pod's history folded to the window's step, and the statistics of the raw samples in the window. */
  private read(ref: ContainerRef, window: SeriesWindow): Promise<AnalysisHistory> {
    const k = `${refKey(ref)}|${window.start}|${window.end}|${window.stepSeconds}`;
    const hit = this.memo.get(k);
    if (hit) {
      this.memo.delete(k);
      this.memo.set(k, hit);
      return hit;
    }
    const read = this.compute(ref, window);
    this.memo.set(k, read);
    while (this.memo.size > MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
    return read;
  }

  private async compute(ref: ContainerRef, window: SeriesWindow): Promise<AnalysisHistory> {
    // each container's models are computed in an event-loop turn of their own, one after another: a
    // minute's whole-fleet recomputation (at risk, cost) lets the page loads waiting on the same process
    // through between containers (immediates queued in one turn would all run before any I/O)
    const turn = this.turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.turns = turn;
    await turn;
    const step = Math.max(1, Math.floor(window.stepSeconds));
    const pods: PodSeries[] = [];
    const inWindow: Float64Array[] = [];
    for (const { pod, spec } of this.specs(ref)) {
      // a pod at a time, letting other requests in between: a month of 30-second samples is real work
      await new Promise((resolve) => setImmediate(resolve));
      const raw = scrape(spec, window.start - step + 1, window.end);
      pods.push({ pod, ...foldMax(raw, window.start, window.end, step), terminations: raw.terminations.filter((x) => x.at >= window.start) });
      inWindow.push(raw.workingSet.subarray(lowerBound(raw.t, window.start)));
    }
    const samples = inWindow.reduce((n, a) => n + a.length, 0);
    return { pods, rawStats: samples > 0 ? { stats: summarizeAll(inWindow).summary, samples } : undefined };
  }

  async containerHistory(ref: ContainerRef, window: SeriesWindow): Promise<PodSeries[]> {
    return (await this.read(ref, window)).pods;
  }

  async analysisHistory(ref: ContainerRef, window: SeriesWindow): Promise<AnalysisHistory> {
    return this.read(ref, window);
  }

  async latestWorkingSet(refs: ContainerRef[], at: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const ref of refs) {
      let latest = -1;
      for (const { spec } of this.specs(ref)) {
        const raw = scrape(spec, at - LATEST_LOOKBACK_SECONDS + 1, at);
        if (raw.workingSet.length > 0) latest = Math.max(latest, raw.workingSet[raw.workingSet.length - 1]!);
      }
      if (latest >= 0) out.set(refKey(ref), latest);
    }
    return out;
  }

  /**
   * PSI of the simulated clusters that export it (prod-eu, prod-us; staging runs cgroup v1, so none):
   * the kernel reclaims, and tasks wait, as the working set presses against the limit — none below 90%
   * of it, all of the time at it — averaged over the last 5 minutes of samples, highest pod.
   */
  async memoryStall(refs: ContainerRef[], at: number): Promise<Map<string, number> | null> {
    const out = new Map<string, number>();
    if (refs.length > 0 && refs.every((r) => !this.fleet.find((c) => c.slug === r.cluster)?.exportsPsi)) return null;
    for (const ref of refs) {
      if (!this.fleet.find((c) => c.slug === ref.cluster)?.exportsPsi) continue;
      let worst = -1;
      for (const { spec } of this.specs(ref)) {
        const raw = scrape(spec, at - STALL_WINDOW_SECONDS + 1, at);
        if (raw.workingSet.length === 0) continue;
        let sum = 0;
        for (const ws of raw.workingSet) sum += Math.min(1, Math.max(0, (ws / spec.limitBytes - 0.9) / 0.1)) ** 2;
        worst = Math.max(worst, sum / raw.workingSet.length);
      }
      if (worst >= 0) out.set(refKey(ref), worst);
    }
    return out;
  }
}

/** The window of the PSI rate, as `rate(…[5m])` reads it. */
const STALL_WINDOW_SECONDS = 300;

/** The raw samples a Prometheus scraping every DEMO_SCRAPE_SECONDS holds in [from, to]. */
function scrape(spec: ScenarioSpec, from: number, to: number): ScenarioSeries {
  const start = Math.ceil(from / DEMO_SCRAPE_SECONDS) * DEMO_SCRAPE_SECONDS;
  if (start > to) return { t: new Float64Array(0), workingSet: new Float64Array(0), rss: new Float64Array(0), cache: new Float64Array(0), terminations: [] };
  return generateSeries(spec, { start, end: to, stepSeconds: DEMO_SCRAPE_SECONDS });
}

/**
 * The series a Prometheus range query of max_over_time(metric[step]) answers: at start, start + step,
 * … up to end, the highest raw sample of the step ending there (each metric on its own); a step
 * without samples (a restart) has no point.
 */
export function foldMax(raw: Pick<ScenarioSeries, "t" | "workingSet" | "rss" | "cache">, start: number, end: number, step: number) {
  const steps = Math.floor((end - start) / step) + 1;
  const t = new Float64Array(steps);
  const ws = new Float64Array(steps);
  const rss = new Float64Array(steps);
  const cache = new Float64Array(steps);
  let n = 0;
  let i = lowerBound(raw.t, start - step + 1);
  for (let k = 0; k < steps; k++) {
    const at = start + k * step;
    let w = -Infinity;
    let r = -Infinity;
    let c = -Infinity;
    for (; i < raw.t.length && raw.t[i]! <= at; i++) {
      if (raw.workingSet[i]! > w) w = raw.workingSet[i]!;
      if (raw.rss[i]! > r) r = raw.rss[i]!;
      if (raw.cache[i]! > c) c = raw.cache[i]!;
    }
    if (w === -Infinity) continue;
    t[n] = at;
    ws[n] = w;
    rss[n] = r;
    cache[n] = c;
    n++;
  }
  return { t: t.slice(0, n), workingSet: ws.slice(0, n), rss: rss.slice(0, n), cache: cache.slice(0, n) };
}

/** The first index whose time is at or after `at`. */
function lowerBound(t: Float64Array, at: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
