import { spawnSync } from "node:child_process";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { incidents, workloads } from "@/db/schema";
import { analyzeContainer } from "@/lib/analysis";
import { testConnection } from "@/lib/clusters/connection-test";
import { createCluster, saveSettings, syncNow } from "@/lib/clusters/manage";
import { analyzeFromPrometheus, parseArgs, type ContainerResult } from "@/lib/cli/prometheus-analyze";
import { getContainerView } from "@/lib/container-view";
import { PrometheusSource } from "@/lib/metrics/prometheus-source";
import * as q from "@/lib/metrics/promql";
import { getCluster } from "@/lib/queries/clusters";
import { DEMO_FLEET, fleetPods, type FleetCluster } from "@/lib/scenarios/demo-fleet";
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from "../support/prometheus";
import { seedOrgWithAdmin } from "../support/orgs";
import { containerInput, expectSaneStats, expectStatsLikeMemory, memoryAnalysis, truthPods } from "../support/verdicts";
import { importFleet, startVictoriaMetrics, victoriaMetricsAvailable, type RunningVictoriaMetrics } from "../support/victoria-metrics";

// The demo fleet's 30 days of 5-minute history (three clusters under a `cluster` label) in a real
// Prometheus and in a real VictoriaMetrics (Debian's 1.79): every answer Headroom gives must be the
// same from both. Never skipped: `node scripts/ensure-deps.mjs --test` installs both servers.
const STEP = 300;
// the history ends where the percentile subquery (30 days at 2,580 s) has a point exactly 30 days back:
// the boundary Prometheus 2 counts and VictoriaMetrics does not (one end in 43 on the 5-minute grid,
// the last within 3.6 hours), so the two are compared where they could differ
const SUBQUERY_RESOLUTION = 2580;
const NOW = (() => {
  let end = Math.floor(Date.now() / 1000 / STEP) * STEP;
  while ((end - 30 * 86_400) % SUBQUERY_RESOLUTION !== 0) end -= STEP;
  return end;
})();
const START = NOW - 30 * 86_400;
const WEEK = NOW - 7 * 86_400;
const LOOPBACK = { allowLoopback: true, allowPrivate: false };
const PROD = DEMO_FLEET.find((c) => c.slug === "prod-eu")!;
const STAGING = DEMO_FLEET.find((c) => c.slug === "staging")!;
// two more clusters in VictoriaMetrics only, a week each: kube-state-metrics before 2.11 (no
// termination times; restarts scraped every minute) and relabelled namespace/pod/container labels
const OLD_KSM: FleetCluster = { ...PROD, slug: "prod-eu-ksm-2-10" };
const RELABELLED: FleetCluster = { ...STAGING, slug: "staging-relabelled" };
const RENAMED = { cadvisor: { pod: "pod_name", container: "container_name" }, ksm: { namespace: "exported_namespace", pod: "exported_pod", container: "exported_container" } };

const missing = victoriaMetricsAvailable() ?? prometheusAvailable();

describe("VictoriaMetrics and Prometheus holding the same history", () => {
  let vm: RunningVictoriaMetrics;
  let prom: RunningPrometheus;
  const source = (url: string, cluster: string, extra: Partial<ConstructorParameters<typeof PrometheusSource>[0]> = {}) =>
    new PrometheusSource({ url, policy: LOOPBACK, labels: { clusterLabel: "cluster", clusterValue: cluster }, minStepSeconds: STEP, ...extra });
  const analyze = (url: string, cluster: string) =>
    analyzeFromPrometheus(parseArgs(["--prometheus", url, "--cluster-label", "cluster", "--cluster", cluster, "--window", "30d", "--step", String(STEP)]), { now: NOW, policy: LOOPBACK });

  beforeAll(async () => {
    if (missing) throw new Error(`these tests need both servers: ${missing} (node scripts/ensure-deps.mjs --test installs them)`);
    const history = { start: START, end: NOW, step: STEP, clusterLabel: "cluster" };
    vm = await startVictoriaMetrics(DEMO_FLEET, history);
    await importFleet(vm.url, [OLD_KSM], { ...history, start: WEEK, terminationStep: 60, omit: ["kube_pod_container_status_last_terminated_timestamp"] });
    await importFleet(vm.url, [RELABELLED], { ...history, start: WEEK, labelNames: RENAMED });
    prom = await startPrometheus(DEMO_FLEET, history);
  }, 600_000);
  afterAll(async () => {
    await vm?.stop();
    await prom?.stop();
  });

  it("the connection test says Prometheus runs the one-pass percentiles and VictoriaMetrics the portable ones", async () => {
    const labels = { clusterLabel: "cluster", clusterValue: "prod-eu" };
    const [viaProm, viaVm] = await Promise.all([testConnection({ url: prom.url, policy: LOOPBACK, labels }, NOW), testConnection({ url: vm.url, policy: LOOPBACK, labels }, NOW)]);
    expect(viaProm).toMatchObject({ ok: true, error: null, queryMode: "fast" });
    expect(viaVm).toMatchObject({ ok: true, error: null, queryMode: "portable" });
    expect(viaVm.queryModeDetail).toMatch(/each percentile is its own quantile_over_time/);
    expect(viaVm.containers).toBe(PROD.workloads.reduce((n, w) => n + w.replicas, 0));
    expect(viaVm.checks.map((c) => [c.id, c.count])).toEqual(viaProm.checks.map((c) => [c.id, c.count]));
  });

  it("the one-pass percentile query is the one VictoriaMetrics answers differently: p50 at all three steps", async () => {
    const scope = { namespace: "payments", pods: fleetPods("prod-eu", PROD.workloads[0]!).map((p) => p.name), container: "api" };
    const fast = q.workingSetQuantiles(source(vm.url, "prod-eu").labels, scope, 30 * 86_400, SUBQUERY_RESOLUTION, NOW);
    const pod = scope.pods[0]!;
    const one = (await source(vm.url, "prod-eu").client.queryRange(fast.query, fast.start, fast.end, fast.step)).find((s) => s.metric.pod === pod)!;
    const viaProm = (await source(prom.url, "prod-eu").client.queryRange(fast.query, fast.start, fast.end, fast.step)).find((s) => s.metric.pod === pod)!;
    // Prometheus: p50, then a p95 well above it (a leak); VictoriaMetrics: the same p50 three times
    expect(viaProm.v[1]).toBeGreaterThan(viaProm.v[0]! * 1.2);
    expect([...one.v]).toEqual([viaProm.v[0], viaProm.v[0], viaProm.v[0]]);
  });

  it("analyze --prometheus gives the same pattern and recommended limit from both, for every workload of the demo fleet", async () => {
    const patterns = new Set<string>();
    for (const cluster of DEMO_FLEET) {
      const [viaProm, viaVm] = [await analyze(prom.url, cluster.slug), await analyze(vm.url, cluster.slug)];
      expect(viaVm.refused, cluster.slug).toEqual([]);
      expect(viaProm.refused, cluster.slug).toEqual([]);
      const id = (r: ContainerResult) => `${r.namespace}/${r.workload.kind}/${r.workload.name}/${r.container}`;
      expect(viaVm.results.map(id).sort(), cluster.slug).toEqual(cluster.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}/${w.containers[0]!.name}`).sort());
      expect(viaVm.results.map(id).sort()).toEqual(viaProm.results.map(id).sort());
      for (const w of cluster.workloads) {
        const what = `${cluster.slug}/${w.name}`;
        const a = viaProm.results.find((r) => r.workload.name === w.name && r.namespace === w.namespace)!.analysis;
        const b = viaVm.results.find((r) => r.workload.name === w.name && r.namespace === w.namespace)!.analysis;
        expect(b.pattern, what).toBe(a.pattern);
        expect(b.recommendation?.limit, what).toBe(a.recommendation?.limit);
        expect(b.recommendation?.request, what).toBe(a.recommendation?.request);
        expect(b.evidence.oomKills, what).toBe(a.evidence.oomKills);
        expect(b.evidence.samples, what).toBe(a.evidence.samples);
        // the same sampled statistics: portable percentiles and mean over the same samples as Prometheus's one pass
        for (const k of ["mean", "p50", "p95", "p99", "max"] as const) expect(Math.abs(b.stats[k] / a.stats[k] - 1), `${what} ${k}`).toBeLessThan(1e-9);
        expectSaneStats(a.stats, `${what} (Prometheus)`);
        expectSaneStats(b.stats, `${what} (VictoriaMetrics)`);
        if (cluster === PROD) expectStatsLikeMemory(b, memoryAnalysis(cluster.slug, w, START, NOW, STEP), `${what} (VictoriaMetrics)`);
        patterns.add(b.pattern);
      }
    }
    // the fleet covers every verdict, so the comparison means something
    expect(patterns).toEqual(new Set(["leak", "limit_too_low", "spike", "healthy"]));
  }, 180_000);

  it("the command from the report: a leaking container's percentiles and limit from VictoriaMetrics are Prometheus's", () => {
    const env = { ...process.env, HEADROOM_ALLOW_LOOPBACK: "true" };
    const run = (url: string) => {
      const out = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", url, "--cluster-label", "cluster", "--cluster", "prod-eu", "--workload", "deployment/payments-api", "--window", "30d"], { encoding: "utf8", env });
      expect(out.stderr).toBe("");
      expect(out.status).toBe(0);
      return JSON.parse(out.stdout) as { pattern: string; stats: { mean: number; p50: number; p95: number; p99: number; max: number }; recommendation: { limit: string } };
    };
    const [viaVm, viaProm] = [run(vm.url), run(prom.url)];
    expectSaneStats(viaVm.stats, "payments-api (VictoriaMetrics)");
    expect(viaVm.stats.p95).toBeGreaterThan(viaVm.stats.p50 * 1.2);
    expect(viaVm.pattern).toBe("leak");
    expect(viaVm.recommendation.limit).toBe(viaProm.recommendation.limit);
    for (const k of ["p50", "p95", "p99"] as const) expect(Math.abs(viaVm.stats[k] / viaProm.stats[k] - 1), k).toBeLessThan(0.01);
  });

  it("a read that ends off the step grid gives the same trend points, kills and statistics from both", async () => {
    // 30 days before a time that is no multiple of any step: VictoriaMetrics would move a range
    // query of 50 steps or more onto multiples of its step for its cache
    const end = NOW - 3600 + 137;
    const window = { start: end - 30 * 86_400, end, stepSeconds: STEP };
    const [viaProm, viaVm] = await Promise.all([source(prom.url, "prod-eu").clusterHistory(window, { terminationStep: 120, exitCodes: true }), source(vm.url, "prod-eu").clusterHistory(window, { terminationStep: 120, exitCodes: true })]);
    expect(viaVm).toHaveLength(PROD.workloads.length);
    let kills = 0;
    for (const a of viaProm) {
      const b = viaVm.find((x) => x.workload.name === a.workload.name && x.workload.namespace === a.workload.namespace)!;
      const what = a.workload.name;
      expect(b.pods.map((p) => p.pod), what).toEqual(a.pods.map((p) => p.pod));
      for (const [i, p] of a.pods.entries()) {
        expect(b.pods[i]!.t[0], what).toBe(p.t[0]);
        expect(b.pods[i]!.t, what).toEqual(p.t);
        expect(b.pods[i]!.workingSet, what).toEqual(p.workingSet);
        expect(b.pods[i]!.terminations, what).toEqual(p.terminations);
        kills += p.terminations.length;
      }
      expect(b.rawStats!.samples, what).toBe(a.rawStats!.samples);
      expect(b.rawStats!.stats.max, what).toBe(a.rawStats!.stats.max);
      for (const k of ["mean", "p50", "p95", "p99"] as const) expect(Math.abs(b.rawStats!.stats[k] / a.rawStats!.stats[k] - 1), `${what} ${k}`).toBeLessThan(0.01);
    }
    expect(kills).toBeGreaterThan(100);
  });

  it("a container's charts (working set, RSS, cache) and kills at the sync's 2-minute step are the same from both", async () => {
    const ref = { cluster: "prod-eu", namespace: "payments", workloadKind: "Deployment", workloadName: "payments-api", container: "api" };
    const window = { start: NOW - 7 * 86_400 + 61, end: NOW - 61, stepSeconds: STEP };
    const [a, b] = await Promise.all([source(prom.url, "prod-eu").containerHistory(ref, window), source(vm.url, "prod-eu").containerHistory(ref, window)]);
    expect(b).toHaveLength(3);
    expect(b.map((p) => ({ ...p, t: [...p.t], workingSet: [...p.workingSet], rss: [...p.rss], cache: [...p.cache] }))).toEqual(
      a.map((p) => ({ ...p, t: [...p.t], workingSet: [...p.workingSet], rss: [...p.rss], cache: [...p.cache] })),
    );
    expect(b.reduce((n, p) => n + p.terminations.length, 0)).toBeGreaterThan(5);
  });

  it("kube-state-metrics before 2.11: VictoriaMetrics dates each OOMKill from the restart count and reaches the in-memory verdicts", async () => {
    const old = source(vm.url, OLD_KSM.slug);
    expect(await old.terminationMode(NOW, NOW - WEEK)).toBe("restarts");
    let kills = 0;
    for (const w of OLD_KSM.workloads) {
      const truth = truthPods(OLD_KSM.slug, w, WEEK, NOW, STEP);
      const history = await old.containerHistory({ cluster: OLD_KSM.slug, namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: w.containers[0]!.name }, { start: WEEK, end: NOW, stepSeconds: STEP });
      for (const p of history) {
        // away from the window's ends, each kill within a scrape interval and a step of the truth
        const inner = (x: { at: number }) => x.at >= WEEK + 600 && x.at <= NOW - 600;
        const real = truth.find((x) => x.name === p.pod)!.terminations;
        const near = (a: { at: number }, list: { at: number }[]) => list.some((b) => Math.abs(a.at - b.at) <= 180);
        for (const x of real.filter(inner)) expect(near(x, p.terminations), `${w.name}/${p.pod} real kill at ${x.at - WEEK}`).toBe(true);
        for (const x of p.terminations.filter(inner)) expect(near(x, real), `${w.name}/${p.pod} found kill at ${x.at - WEEK}`).toBe(true);
        kills += p.terminations.length;
      }
      const memory = analyzeContainer({ now: NOW, container: containerInput(w), pods: truth });
      const viaVm = analyzeContainer({ now: NOW, container: containerInput(w), pods: history.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations })) });
      expect(viaVm.pattern, w.name).toBe(memory.pattern);
      expect(viaVm.recommendation?.limit, w.name).toBe(memory.recommendation?.limit);
    }
    expect(kills).toBeGreaterThan(5);
  });

  it("relabelled label names: the connection test finds them on VictoriaMetrics, and with them history and verdicts are the in-memory ones", async () => {
    const labels = { clusterLabel: "cluster", clusterValue: RELABELLED.slug };
    const plain = await testConnection({ url: vm.url, policy: LOOPBACK, labels }, NOW);
    expect(plain.ok).toBe(false);
    expect(plain.suggestedLabelNames).toEqual(RENAMED);
    const fixed = await testConnection({ url: vm.url, policy: LOOPBACK, labels: { ...labels, ...RENAMED } }, NOW);
    expect(fixed.ok, fixed.error ?? "").toBe(true);
    const { results, refused } = await analyzeFromPrometheus(
      parseArgs(["--prometheus", vm.url, "--cluster-label", "cluster", "--cluster", RELABELLED.slug, "--cadvisor-labels", "namespace,pod_name,container_name", "--ksm-labels", "exported_namespace,exported_pod,exported_container", "--window", "7d", "--step", String(STEP)]),
      { now: NOW, policy: LOOPBACK },
    );
    expect(refused).toEqual([]);
    expect(results.map((r) => r.workload.name).sort()).toEqual(RELABELLED.workloads.map((w) => w.name).sort());
    const renamed = source(vm.url, RELABELLED.slug, { labels: { ...labels, ...RENAMED } });
    for (const w of RELABELLED.workloads) {
      const memory = memoryAnalysis(RELABELLED.slug, w, WEEK, NOW, STEP);
      const whole = results.find((r) => r.workload.name === w.name)!.analysis;
      expect(whole.stats.max, w.name).toBe(memory.stats.max);
      expectSaneStats(whole.stats, w.name);
      const history = await renamed.containerHistory({ cluster: RELABELLED.slug, namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: w.containers[0]!.name }, { start: WEEK, end: NOW, stepSeconds: STEP });
      expect(history.map((p) => p.pod).sort()).toEqual(fleetPods(RELABELLED.slug, w).map((p) => p.name).sort());
      const viaVm = analyzeContainer({ now: NOW, container: containerInput(w), pods: history.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations })) });
      expect(viaVm.pattern, w.name).toBe(memory.pattern);
      expect(viaVm.recommendation?.limit, w.name).toBe(memory.recommendation?.limit);
      expect(viaVm.evidence.oomKills, w.name).toBe(memory.evidence.oomKills);
    }
  });

  describe("in the product: a cluster on each server", () => {
    let db: Db;
    let orgId: string;
    let userId: string;
    beforeAll(async () => {
      process.env.HEADROOM_SECRET_KEY = Buffer.alloc(32, 9).toString("base64");
      process.env.HEADROOM_ALLOW_LOOPBACK = "true";
      db = createDb(inject("databaseUrl"), 4);
      ({ orgId, userId } = await seedOrgWithAdmin(db, "vandelay", "Vandelay"));
      for (const [name, url] of [["eu-prometheus", prom.url], ["eu-victoria", vm.url]] as const) {
        await createCluster(db, { orgId, userId, input: { name, pricePerGibMonth: 3.2, currency: "USD" } });
        await saveSettings(db, { orgId, userId, slug: name, input: { url, auth: { kind: "none" }, headers: [], skipVerify: false, clusterLabel: "cluster", clusterLabelValue: "prod-eu" } });
      }
    });
    afterAll(async () => db?.$client.end());

    it("a sync stores the same kills and incidents, and every container page gives the same verdict, from either server", async () => {
      const fromProm = await syncNow(db, { orgId, slug: "eu-prometheus", now: NOW });
      const fromVm = await syncNow(db, { orgId, slug: "eu-victoria", now: NOW });
      expect(fromVm).toEqual(fromProm);
      expect(fromVm!.oomKills).toBeGreaterThan(100);
      const stored = async (slug: string) => {
        const cluster = (await getCluster(db, { orgId, slug, now: new Date(NOW * 1000) }))!;
        expect(cluster.lastSyncError, slug).toBeNull();
        const rows = await db.select().from(incidents).innerJoin(workloads, eq(workloads.id, incidents.workloadId)).where(and(eq(incidents.orgId, orgId), eq(workloads.clusterId, cluster.id)));
        return { cluster, incidents: new Map(rows.map((r) => [`${r.workloads.namespace}/${r.workloads.name}/${r.incidents.containerName}`, r.incidents.analysis as { pattern: string; recommendation: { request: string; limit: string } | null }])) };
      };
      const [p, v] = [await stored("eu-prometheus"), await stored("eu-victoria")];
      expect(v.incidents.size).toBeGreaterThan(3);
      expect([...v.incidents.keys()].sort()).toEqual([...p.incidents.keys()].sort());
      for (const [k, a] of p.incidents) {
        expect(v.incidents.get(k)!.pattern, k).toBe(a.pattern);
        expect(v.incidents.get(k)!.recommendation, k).toEqual(a.recommendation);
      }
      // the workloads' labels from kube_*_labels (the cost page's groups), the same from both
      const labelsOf = async (clusterId: string) =>
        Object.fromEntries((await db.select().from(workloads).where(and(eq(workloads.orgId, orgId), eq(workloads.clusterId, clusterId)))).map((w) => [`${w.namespace}/${w.name}`, w.labels]));
      const [pl, vl] = [await labelsOf(p.cluster.id), await labelsOf(v.cluster.id)];
      expect(Object.values(vl).filter((l) => l?.team)).toHaveLength(PROD.workloads.filter((w) => w.labels?.team).length);
      expect(vl).toEqual(pl);
      for (const w of PROD.workloads) {
        const view = (c: typeof p.cluster) => getContainerView(db, { orgId, cluster: c, namespace: w.namespace, kind: w.kind.toLowerCase(), name: w.name, container: w.containers[0]!.name, now: NOW, window: "7d" });
        const [a, b] = [await view(p.cluster), await view(v.cluster)];
        expect(b!.metricsError, w.name).toBeNull();
        expect(b!.analysis!.pattern, w.name).toBe(a!.analysis!.pattern);
        expect(b!.analysis!.recommendation, w.name).toEqual(a!.analysis!.recommendation);
        expect(b!.chart!.points.length, w.name).toBe(a!.chart!.points.length);
      }
    }, 180_000);
  });
});
