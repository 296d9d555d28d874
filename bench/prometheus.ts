// Whole-cluster analysis through a real Prometheus: 1,000 containers, 14 days of 1-minute history.
// Headroom's path (one working-set query and three termination queries per namespace, folded in
// PromQL) beside a naive client that fetches each container's raw history separately.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { analyzeDiscovered } from "@/lib/incidents/analyze";
import { PrometheusClient } from "@/lib/metrics/prometheus-client";
import { PrometheusSource } from "@/lib/metrics/prometheus-source";
import * as q from "@/lib/metrics/promql";
import { SCENARIO_KINDS } from "@/lib/scenarios";
import { fleetPods, type FleetCluster, type FleetWorkload } from "@/lib/scenarios/demo-fleet";
import { writeOpenMetrics } from "@/lib/scenarios/openmetrics";
import { prometheusAvailable, serve } from "../tests/support/prometheus";
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

export async function benchPrometheus() {
  console.log(`\nWhole-cluster analysis through a real Prometheus: ${NAMESPACES * WORKLOADS_PER_NS * REPLICAS} containers, ${DAYS} days of ${STEP / 60}-minute history`);
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
    const samples = writeOpenMetrics(input, [fleet], { start: now - DAYS * 86_400, end: now, step: STEP, specStep: 3600, terminationStep: 900, memory: ["working_set"] });
    const t1 = Date.now();
    const built = spawnSync("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=720h", input, path.join(dir, "data")], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (built.status !== 0) throw new Error(`promtool failed: ${built.stderr}`);
    fs.rmSync(input);
    fs.writeFileSync(meta, JSON.stringify({ now, samples }));
    console.log(`  built once: ${(samples / 1e6).toFixed(1)} M samples written in ${((t1 - t0) / 1000).toFixed(0)} s, TSDB blocks by promtool in ${((Date.now() - t1) / 1000).toFixed(0)} s (cached for the next runs)`);
  }
  const prom = await serve(dir);
  const policy = { allowLoopback: true, allowPrivate: false };
  try {
    const window = { start: now - DAYS * 86_400, end: now, stepSeconds: STEP };
    // warm the TSDB's page cache the same way for both clients
    await new PrometheusClient({ url: prom.url, policy }).query(`count(${q.MEMORY_METRICS.working_set})`, now);

    // Headroom: discovery + per-namespace queries folded in PromQL
    const source = new PrometheusSource({ url: prom.url, policy, timeoutMs: 120_000 });
    const t0 = performance.now();
    const all = await source.clusterHistory(window);
    const fetched = performance.now();
    const verdicts = new Map<string, number>();
    for (const h of all) {
      const a = analyzeDiscovered(h, { now });
      verdicts.set(a.pattern, (verdicts.get(a.pattern) ?? 0) + 1);
    }
    const wall = (performance.now() - t0) / 1000;
    const containers = all.reduce((n, x) => n + x.pods.length, 0);
    const step = all[0]?.pods[0] ? all[0].pods[0].t[1]! - all[0].pods[0].t[0]! : 0;
    console.log(`  Headroom: ${wall.toFixed(1)} s wall (${((fetched - t0) / 1000).toFixed(1)} s fetching, ${(wall - (fetched - t0) / 1000).toFixed(1)} s analysing), ${source.client.stats.requests} queries, ${mb(source.client.stats.bytes)} received; ${all.length} workload containers, ${containers} pod series (trend at a ${step}-s step, statistics of the raw samples by quantile_over_time)`);
    console.log(`            verdicts: ${[...verdicts].map(([k, v]) => `${k} ${v}`).join(", ")}   goal: under 20 s`);

    // Naive: each container's raw history by itself (query_range at the scrape step, split to stay
    // under 11,000 points) and its terminations, one container after another
    const naive = new PrometheusClient({ url: prom.url, policy, timeoutMs: 120_000 });
    const pods = fleet.workloads.flatMap((w) => fleetPods("bench", w).map((p) => ({ w, pod: p.name })));
    const n0 = performance.now();
    let done = 0;
    const chunk = (q.MAX_POINTS - 1) * STEP;
    for (const { w, pod } of pods) {
      const sel = `${q.MEMORY_METRICS.working_set}{namespace=${q.str(w.namespace)},pod=${q.str(pod)},container="app"}`;
      const parts: Float64Array[] = [];
      for (let s = window.start; s < window.end; s += chunk + STEP) {
        const [r] = await naive.queryRange(sel, s, Math.min(window.end, s + chunk), STEP);
        if (r) parts.push(r.v);
      }
      const scope = { namespace: w.namespace, pods: [pod], container: "app" };
      const ksm = `{namespace=${q.str(scope.namespace)},pod=${q.str(pod)},container="app"}`;
      await naive.queryRange(`kube_pod_container_status_last_terminated_timestamp${ksm}`, window.start, window.end, STEP * 2);
      await naive.queryRange(`kube_pod_container_status_last_terminated_reason${ksm}`, window.start, window.end, STEP * 2);
      done++;
      if ((performance.now() - n0) / 1000 > NAIVE_BUDGET_SECONDS) break;
    }
    const naiveMeasured = (performance.now() - n0) / 1000;
    const naiveTotal = (naiveMeasured * pods.length) / done;
    const exact = done === pods.length;
    console.log(
      `  naive:    ${exact ? "" : "~"}${naiveTotal.toFixed(1)} s wall for ${pods.length} containers${exact ? "" : ` (measured ${done} in ${naiveMeasured.toFixed(1)} s, scaled)`}, ${exact ? "" : "~"}${Math.round((naive.stats.requests * pods.length) / done)} queries, ${exact ? "" : "~"}${mb((naive.stats.bytes * pods.length) / done)} received (fetching only)`,
    );
    console.log(`  Headroom is ${(naiveTotal / wall).toFixed(1)}x faster than the naive client (goal: at least 10x)`);
  } finally {
    await prom.stop();
  }
}
