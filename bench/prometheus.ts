// Whole-cluster analysis through a real Prometheus and a real VictoriaMetrics holding the same
// history: 1,000 containers, 14 days of 1-minute history. Headroom's path (a handful of queries per
// namespace, folded in PromQL; one-pass percentiles on Prometheus, portable ones on VictoriaMetrics)
// beside a naive client that fetches each container's raw history from Prometheus separately.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { analyzeDiscovered } from "@/lib/incidents/analyze";
import { PrometheusClient } from "@/lib/metrics/prometheus-client";
import { PrometheusSource } from "@/lib/metrics/prometheus-source";
import type { PodSeries } from "@/lib/metrics/source";
import type { Termination } from "@/lib/scenarios/types";
import * as q from "@/lib/metrics/promql";
import { SCENARIO_KINDS } from "@/lib/scenarios";
import { fleetPods, type FleetCluster, type FleetWorkload } from "@/lib/scenarios/demo-fleet";
import { writeOpenMetrics } from "@/lib/scenarios/openmetrics";
import { prometheusAvailable, serve } from "../tests/support/prometheus";
import { importFleet, serveVictoriaMetrics, victoriaMetricsAvailable, victoriaMetricsVersion } from "../tests/support/victoria-metrics";
import { spawnSync } from "node:child_process";

const NAMESPACES = 20;
const WORKLOADS_PER_NS = 25;
const REPLICAS = 2; // 20 x 25 x 2 = 1,000 containers
const DAYS = 14;
const STEP = 60;
const NAIVE_BUDGET_SECONDS = Number(process.env.BENCH_NAIVE_SECONDS ?? 120);

function benchFleet(): FleetCluster {
  const workloads: FleetWorkload[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    for (let w = 0; w < WORKLOADS_PER_NS; w++) {
      const kind = SCENARIO_KINDS[(n * WORKLOADS_PER_NS + w) % SCENARIO_KINDS.length]!;
      workloads.push({
        namespace: `team-${String(n).padStart(2, "0")}`, kind: "Deployment", name: `svc-${String(w).padStart(2, "0")}`, replicas: REPLICAS,
        containers: [{ name: "app", image: `registry.example.com/svc:${w}`, scenario: kind, requestMi: 384, limitMi: 512 }],
      });
    }
  }
  return { slug: "bench", name: "bench", provider: "bench", region: "local", pricePerGibMonth: 3.2, workloads };
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
const policy = { allowLoopback: true, allowPrivate: false };

type Verdicts = Map<string, { pattern: string; limit: string | undefined; samples: number }>;

/**
 * Headroom's whole-cluster analysis through one server: the median of three runs (each with a new
 * client, so nothing is cached in Node; the probe that picks the query mode is cached per endpoint
 * after the first run, as in the app), after one read that warms the server's caches.
 */
async function benchHeadroom(server: string, url: string, window: { start: number; end: number; stepSeconds: number }, now: number) {
  const warm = new PrometheusClient({ url, policy, timeoutMs: 120_000 });
  await warm.query(`count(count_over_time(${q.MEMORY_METRICS.working_set}[${DAYS * 86_400}s]))`, now);
  const runs: { t0: number; fetched: number; wall: number; all: Awaited<ReturnType<PrometheusSource["clusterHistory"]>>; source: PrometheusSource }[] = [];
  for (let r = 0; r < 3; r++) {
    const source = new PrometheusSource({ url, policy, timeoutMs: 120_000 });
    const t0 = performance.now();
    const all = await source.clusterHistory(window);
    const fetched = performance.now();
    for (const h of all) analyzeDiscovered(h, { now });
    runs.push({ t0, fetched, wall: (performance.now() - t0) / 1000, all, source });
  }
  const walls = runs.map((r) => r.wall).sort((a, b) => a - b);
  const { t0, fetched, all, source, wall } = runs.find((r) => r.wall === walls[1])!;
  const mode = await source.queryMode();
  const verdicts = new Map<string, number>();
  const byWorkload: Verdicts = new Map();
  for (const h of all) {
    const a = analyzeDiscovered(h, { now });
    verdicts.set(a.pattern, (verdicts.get(a.pattern) ?? 0) + 1);
    byWorkload.set(`${h.workload.namespace}/${h.workload.name}`, { pattern: a.pattern, limit: a.recommendation?.limit, samples: a.evidence.samples });
  }
  const containers = all.reduce((n, x) => n + x.pods.length, 0);
  const step = all[0]?.pods[0] ? all[0].pods[0].t[1]! - all[0].pods[0].t[0]! : 0;
  console.log(`  Headroom on ${server}: ${wall.toFixed(1)} s wall (median of 3 runs: ${walls.map((w) => w.toFixed(1)).join(", ")} s; ${((fetched - t0) / 1000).toFixed(1)} s fetching, ${(wall - (fetched - t0) / 1000).toFixed(1)} s analysing), ${source.client.stats.requests} queries, ${mb(source.client.stats.bytes)} received; ${mode} percentiles; ${all.length} workload containers, ${containers} pod series (trend at a ${step}-s step)`);
  console.log(`            verdicts: ${[...verdicts].map(([k, v]) => `${k} ${v}`).join(", ")}   goal: under 20 s`);
  return { wall, byWorkload };
}

/** VictoriaMetrics' storage with the same history as the Prometheus TSDB, imported once and kept under .data/ (rebuilt when the history's end moved). */
async function victoriaMetricsWithHistory(fleet: FleetCluster, key: string, now: number) {
  const dir = path.resolve(".data", `bench-victoria-${key}`);
  const meta = path.join(dir, "meta.json");
  if (fs.existsSync(meta) && (JSON.parse(fs.readFileSync(meta, "utf8")) as { now: number }).now === now) {
    console.log(`  reusing the VictoriaMetrics storage in ${path.relative(process.cwd(), dir)}`);
    return serveVictoriaMetrics(dir);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const vm = await serveVictoriaMetrics(dir);
  const t0 = Date.now();
  const samples = await importFleet(vm.url, [fleet], exportOptions(now));
  fs.writeFileSync(meta, JSON.stringify({ now, samples }));
  console.log(`  built once: ${(samples / 1e6).toFixed(1)} M samples imported into VictoriaMetrics in ${((Date.now() - t0) / 1000).toFixed(0)} s (/api/v1/import/prometheus; kept for the next runs)`);
  return vm;
}

const exportOptions = (now: number) => ({ start: now - DAYS * 86_400, end: now, step: STEP, specStep: 3600, terminationStep: 900, memory: ["working_set" as const] });

export async function benchPrometheus() {
  console.log(`\nWhole-cluster analysis through a real Prometheus and a real VictoriaMetrics: ${NAMESPACES * WORKLOADS_PER_NS * REPLICAS} containers, ${DAYS} days of ${STEP / 60}-minute history`);
  const missing = prometheusAvailable();
  if (missing) {
    console.log(`  skipped: ${missing}`);
    return;
  }
  const fleet = benchFleet();
  const key = crypto.createHash("sha1").update(JSON.stringify({ NAMESPACES, WORKLOADS_PER_NS, REPLICAS, DAYS, STEP, v: 1 })).digest("hex").slice(0, 10);
  const dir = path.resolve(".data", `bench-prometheus-${key}`);
  const meta = path.join(dir, "meta.json");
  let now: number;
  if (fs.existsSync(meta)) {
    now = (JSON.parse(fs.readFileSync(meta, "utf8")) as { now: number }).now;
    console.log(`  reusing the TSDB in ${path.relative(process.cwd(), dir)} (history ends ${new Date(now * 1000).toISOString()})`);
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "data"), { recursive: true });
    now = Math.floor(Date.now() / 1000 / STEP) * STEP;
    const t0 = Date.now();
    const input = path.join(dir, "series.om");
    const samples = writeOpenMetrics(input, [fleet], exportOptions(now));
    const t1 = Date.now();
    const built = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=720h", input, path.join(dir, "data")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (built.status !== 0) throw new Error(`promtool failed: ${built.stderr}`);
    fs.rmSync(input);
    fs.writeFileSync(meta, JSON.stringify({ now, samples }));
    console.log(`  built once: ${(samples / 1e6).toFixed(1)} M samples written in ${((t1 - t0) / 1000).toFixed(0)} s, TSDB blocks by promtool in ${((Date.now() - t1) / 1000).toFixed(0)} s (cached for the next runs)`);
  }
  const prom = await serve(dir);
  const window = { start: now - DAYS * 86_400, end: now, stepSeconds: STEP };
  let naiveTotal = 0;
  let headroomOf: Verdicts;
  try {
    const onProm = await benchHeadroom(`Prometheus ${(await new PrometheusClient({ url: prom.url, policy }).buildInfo())?.version ?? ""}`.trim(), prom.url, window, now);
    const wall = onProm.wall;
    headroomOf = onProm.byWorkload;

    // Naive: the same whole-cluster analysis by a client that reads each container by itself: its
    // raw history (query_range at the scrape step, split to stay under 11,000 points), its
    // terminations and its spec, one container after another, then the same engine on the raw samples
    const naive = new PrometheusClient({ url: prom.url, policy, timeoutMs: 120_000 });
    const n0 = performance.now();
    let done = 0;
    let pods = 0;
    let analysing = 0;
    let agree = 0;
    let sameLimit = 0;
    let naiveSamples = 0;
    let estimatedSamples = 0;
    const chunk = (q.MAX_POINTS - 1) * STEP;
    const podsInFleet = fleet.workloads.reduce((n, w) => n + fleetPods("bench", w).length, 0);
    for (const w of fleet.workloads) {
      const c = w.containers[0]!;
      const podSeries: PodSeries[] = [];
      let limitBytes: number | null = null;
      let requestBytes: number | null = null;
      for (const { name: pod } of fleetPods("bench", w)) {
        const m = `namespace=${q.str(w.namespace)},pod=${q.str(pod)},container=${q.str(c.name)}`;
        const t: number[] = [];
        const v: number[] = [];
        for (let s = window.start; s < window.end; s += chunk + STEP) {
          const [r] = await naive.queryRange(`${q.MEMORY_METRICS.working_set}{${m}}`, s, Math.min(window.end, s + chunk), STEP);
          if (r) {
            t.push(...r.t);
            v.push(...r.v);
          }
        }
        const [stamps] = await naive.queryRange(`kube_pod_container_status_last_terminated_timestamp{${m}}`, window.start, window.end, STEP * 2);
        const reasons = await naive.queryRange(`kube_pod_container_status_last_terminated_reason{${m}} == 1`, window.start, window.end, STEP * 2);
        const spec = await naive.query(`kube_pod_container_resource_limits{${m},resource="memory"} or kube_pod_container_resource_requests{${m},resource="memory"}`, window.end);
        for (const s of spec) if (s.metric.__name__?.endsWith("limits")) limitBytes = s.v; else requestBytes = s.v;
        const terminations: Termination[] = [];
        for (let i = 0; stamps && i < stamps.v.length; i++) {
          const at = stamps.v[i]!;
          if (at < window.start || terminations.some((x) => x.at === at)) continue;
          const reason = reasons.find((r) => r.t.includes(stamps.t[i]!))?.metric.reason;
          terminations.push({ at, reason: reason === "OOMKilled" || reason === "Completed" ? reason : "Error", exitCode: reason === "OOMKilled" ? 137 : -1 });
        }
        const empty = new Float64Array(0);
        podSeries.push({ pod, t: Float64Array.from(t), workingSet: Float64Array.from(v), rss: empty, cache: empty, terminations });
        pods++;
      }
      const a0 = performance.now();
      const a = analyzeDiscovered(
        {
          workload: { namespace: w.namespace, kind: w.kind, name: w.name, replicas: w.replicas, pods: podSeries.map((p) => p.pod), containers: [], labels: w.labels ?? null },
          container: { name: c.name, image: c.image, limitBytes, requestBytes },
          pods: podSeries,
          rawStats: undefined,
        },
        { now },
      );
      analysing += performance.now() - a0;
      const mine = headroomOf.get(`${w.namespace}/${w.name}`);
      if (mine?.pattern === a.pattern) agree++;
      if (mine?.limit === a.recommendation?.limit) sameLimit++;
      naiveSamples += a.evidence.samples;
      estimatedSamples += mine?.samples ?? 0;
      done++;
      if ((performance.now() - n0) / 1000 > NAIVE_BUDGET_SECONDS) break;
    }
    const naiveMeasured = (performance.now() - n0) / 1000;
    const scale = podsInFleet / pods;
    naiveTotal = naiveMeasured * scale;
    const exact = done === fleet.workloads.length;
    const approx = exact ? "" : "~";
    console.log(
      `  naive:    ${approx}${naiveTotal.toFixed(1)} s wall for ${podsInFleet} containers (${approx}${((analysing / 1000) * scale).toFixed(1)} s analysing)${exact ? "" : ` (measured ${pods} in ${naiveMeasured.toFixed(1)} s, scaled)`}, ${approx}${Math.round(naive.stats.requests * scale)} queries, ${approx}${mb(naive.stats.bytes * scale)} received`,
    );
    console.log(`            same verdict as Headroom for ${agree} and the same recommended limit for ${sameLimit} of the ${done} workload containers it analysed`);
    console.log(`            raw samples: ${naiveSamples.toLocaleString("en-US")} read by the naive client, ${estimatedSamples.toLocaleString("en-US")} counted by Headroom from its trend and scrape interval`);
    console.log(`  Headroom on Prometheus is ${(naiveTotal / wall).toFixed(1)}x faster than the naive client (goal: at least 10x)`);
  } finally {
    await prom.stop();
  }

  // the same history in VictoriaMetrics, measured with Prometheus stopped (two servers on two cores
  // would measure each other)
  const vmMissing = victoriaMetricsAvailable();
  if (vmMissing) {
    console.log(`  Headroom on VictoriaMetrics: skipped: ${vmMissing}`);
    return;
  }
  const vm = await victoriaMetricsWithHistory(fleet, key, now);
  try {
    const onVm = await benchHeadroom(`VictoriaMetrics ${victoriaMetricsVersion() ?? ""}`.trim(), vm.url, window, now);
    let same = 0;
    let sameLimit = 0;
    for (const [k, a] of headroomOf) {
      const b = onVm.byWorkload.get(k);
      if (b?.pattern === a.pattern) same++;
      if (b && b.limit === a.limit) sameLimit++;
    }
    console.log(`            same verdict as on Prometheus for ${same} and the same recommended limit for ${sameLimit} of the ${headroomOf.size} workload containers`);
    console.log(`  Headroom on VictoriaMetrics is ${(naiveTotal / onVm.wall).toFixed(1)}x faster than the naive client on Prometheus`);
  } finally {
    await vm.stop();
  }
}
