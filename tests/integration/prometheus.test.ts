import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "@/db/connect";
import { auditLog, clusters, incidents, oomEvents, workloads } from "@/db/schema";
import { createCluster, getSettings, saveSettings, syncNow, testSettings } from "@/lib/clusters/manage";
import { getContainerView } from "@/lib/container-view";
import { getCluster } from "@/lib/queries/clusters";
import { analyzeContainer } from "@/lib/analysis";
import { analyzeFromPrometheus, parseArgs } from "@/lib/cli/prometheus-analyze";
import { analyzeDiscovered, ANALYSIS_STEP_SECONDS, ANALYSIS_WINDOW_SECONDS } from "@/lib/incidents/analyze";
import { PrometheusClient, PrometheusError } from "@/lib/metrics/prometheus-client";
import { PrometheusSource } from "@/lib/metrics/prometheus-source";
import { ksmLabelKey } from "@/lib/kube/labels";
import { workloadLabelQueries } from "@/lib/metrics/promql";
import { getCostReport } from "@/lib/cost/analyses";
import { costQuery } from "@/lib/schemas/cost";
import { DEMO_FLEET, fleetPods, mebibytes, type FleetCluster } from "@/lib/scenarios/demo-fleet";
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from "../support/prometheus";
import { seedOrgWithAdmin } from "../support/orgs";
import { containerInput, expectStatsLikeMemory, memoryAnalysis, truthPods } from "../support/verdicts";

// One central Prometheus holding two clusters under a `cluster` label, 30 days of 5-minute history
// made by promtool from the same scenario models the in-memory analysis uses.
const STEP = 300;
const NOW = Math.floor(Date.now() / 1000 / STEP) * STEP;
const START = NOW - 30 * 86_400;
const PROD = DEMO_FLEET.find((c) => c.slug === "prod-eu")!;
const STAGING: FleetCluster = { ...DEMO_FLEET.find((c) => c.slug === "staging")!, workloads: DEMO_FLEET.find((c) => c.slug === "staging")!.workloads.filter((w) => ["payments-api", "checkout-web"].includes(w.name)) };
const LOOPBACK = { allowLoopback: true, allowPrivate: false };

const missing = prometheusAvailable();
if (missing && process.env.CI) throw new Error(`CI needs Prometheus: ${missing}`);

describe.skipIf(missing !== null)("a real Prometheus (cAdvisor + kube-state-metrics series)", () => {
  let prom: RunningPrometheus;
  let source: PrometheusSource;

  beforeAll(async () => {
    prom = await startPrometheus([PROD, STAGING], { start: START, end: NOW, step: STEP, clusterLabel: "cluster" });
    source = new PrometheusSource({ url: prom.url, policy: LOOPBACK, labels: { clusterLabel: "cluster", clusterValue: "prod-eu" }, minStepSeconds: STEP });
  }, 180_000);
  afterAll(async () => prom?.stop());

  it("discovers workloads, owners, replicas, requests and limits from kube-state-metrics, for one cluster only", async () => {
    // the labels are read only when asked (the sync): a page's or the minute's discovery does without them
    expect((await source.discover(START, NOW)).every((w) => w.labels === null)).toBe(true);
    const found = await source.discover(START, NOW, undefined, { labels: true });
    expect(found.map((w) => `${w.kind}/${w.namespace}/${w.name}`).sort()).toEqual(PROD.workloads.map((w) => `${w.kind}/${w.namespace}/${w.name}`).sort());
    for (const w of PROD.workloads) {
      const d = found.find((x) => x.name === w.name && x.namespace === w.namespace)!;
      expect(d.replicas, w.name).toBe(w.replicas);
      expect(d.pods).toEqual(fleetPods("prod-eu", w).map((p) => p.name).sort());
      const c = w.containers[0]!;
      expect(d.containers).toEqual([{ name: c.name, image: c.image, requestBytes: mebibytes(c.requestMi), limitBytes: mebibytes(c.limitMi) }]);
      // the object's labels from kube_<kind>_labels, keys as kube-state-metrics writes them
      expect(d.labels, w.name).toEqual(Object.fromEntries(Object.entries(w.labels!).map(([k, v]) => [ksmLabelKey(k), v])));
    }
    // every pod has kube_pod_labels, but each is under a controller: only bare and static pods' are read
    const labelQueries = workloadLabelQueries(source.labels);
    const client = new PrometheusClient({ url: prom.url, policy: LOOPBACK });
    expect((await client.query(`kube_pod_labels{cluster="prod-eu"}`, NOW)).length).toBeGreaterThan(PROD.workloads.length);
    expect(await client.query(labelQueries.barePods, NOW)).toEqual([]);
    expect((await client.query(labelQueries.controllers, NOW)).map((s) => s.metric.__name__).sort()).toEqual(PROD.workloads.map((w) => `kube_${w.kind.toLowerCase()}_labels`).sort());
    const staging = new PrometheusSource({ url: prom.url, policy: LOOPBACK, labels: { clusterLabel: "cluster", clusterValue: "staging" } });
    expect((await staging.discover(START, NOW)).map((w) => w.name).sort()).toEqual(["checkout-web", "payments-api"]);
  });

  it("gives every workload the same pattern and recommended limit as the in-memory analysis", async () => {
    const compared: string[] = [];
    for (const w of PROD.workloads) {
      const memory = memoryAnalysis("prod-eu", w, START, NOW, STEP);
      const history = await source.containerHistory({ cluster: "prod-eu", namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: w.containers[0]!.name }, { start: START, end: NOW, stepSeconds: STEP });
      expect(history.length, w.name).toBe(w.replicas);
      const viaProm = analyzeContainer({ now: NOW, container: containerInput(w), pods: history.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations })) });
      expect(viaProm.pattern, w.name).toBe(memory.pattern);
      expect(viaProm.recommendation?.limit, w.name).toBe(memory.recommendation?.limit);
      expect(viaProm.evidence.oomKills, w.name).toBe(memory.evidence.oomKills);
      expect(viaProm.stats.p95, w.name).toBe(memory.stats.p95);
      compared.push(`${w.name}:${viaProm.pattern}`);
    }
    // the fleet covers every verdict, so the comparison means something
    expect(new Set(compared.map((c) => c.split(":")[1]))).toEqual(new Set(["leak", "limit_too_low", "spike", "healthy"]));
  });

  it("charts RSS and cache beside the working set", async () => {
    const [pod] = await source.containerHistory({ cluster: "prod-eu", namespace: "payments", workloadKind: "StatefulSet", workloadName: "ledger-db", container: "postgres" }, { start: NOW - 86_400, end: NOW, stepSeconds: STEP });
    expect(pod!.t.length).toBeGreaterThan(280);
    const i = pod!.t.length - 1;
    expect(pod!.rss[i]! + pod!.cache[i]!).toBeGreaterThan(0);
    expect(pod!.rss[i]!).toBeLessThanOrEqual(pod!.workingSet[i]!);
  });

  it("analyses a whole cluster in a handful of queries, not one per container", async () => {
    const { results, stats } = await analyzeFromPrometheus(parseArgs(["--prometheus", prom.url, "--cluster-label", "cluster", "--cluster", "prod-eu", "--window", "30d", "--step", "300"]), { now: NOW, policy: LOOPBACK });
    expect(results).toHaveLength(PROD.workloads.length);
    const namespaces = new Set(PROD.workloads.map((w) => w.namespace)).size;
    expect(stats.requests).toBeLessThanOrEqual(7 + namespaces * 5);
    const leak = results.find((r) => r.workload.name === "payments-api")!;
    expect(leak).toMatchObject({ cluster: "prod-eu", namespace: "payments", workload: { kind: "Deployment", name: "payments-api", replicas: 3 }, container: "api" });
    expect(leak.analysis.pattern).toBe("leak");
    // Prometheus's statistics (a sampled mean, samples counted from the trend and the scrape
    // interval) match what the in-memory analysis reads from every sample
    for (const w of PROD.workloads) expectStatsLikeMemory(results.find((r) => r.workload.name === w.name)!.analysis, memoryAnalysis("prod-eu", w, START, NOW, STEP), w.name);
  });

  it("the analyze command prints one JSON object per container, or a table", () => {
    const env = { ...process.env, HEADROOM_ALLOW_LOOPBACK: "true" };
    const json = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", prom.url, "--cluster-label", "cluster", "--cluster", "staging", "--window", "7d", "--step", "300"], { encoding: "utf8", env });
    expect(json.stderr).toBe("");
    expect(json.status).toBe(0);
    const lines = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { workload: { name: string }; container: string; pattern: string; commands: { kubectl: string } | null });
    expect(lines.map((l) => l.workload.name).sort()).toEqual(["checkout-web", "payments-api"]);
    expect(lines.find((l) => l.workload.name === "payments-api")!.commands!.kubectl).toMatch(/^kubectl set resources deployment\/payments-api -n payments -c api /);

    const table = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", prom.url, "--cluster-label", "cluster", "--cluster", "prod-eu", "--workload", "statefulset/ledger-db", "--format", "table"], { encoding: "utf8", env });
    expect(table.status).toBe(0);
    const rows = table.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^NAMESPACE\s+WORKLOAD\s+CONTAINER\s+PATTERN/);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/^payments\s+statefulset\/ledger-db\s+postgres\s+limit_too_low/);

    const none = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", prom.url, "--cluster-label", "cluster", "--cluster", "prod-eu", "--workload", "deployment/nope"], { encoding: "utf8", env });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^error: nothing matches deployment\/nope; found: /);
  });

  describe("a Prometheus-backed cluster in the product", () => {
    let db: Db;
    let orgId: string;
    let userId: string;
    beforeAll(async () => {
      process.env.HEADROOM_SECRET_KEY = Buffer.alloc(32, 9).toString("base64");
      process.env.HEADROOM_ALLOW_LOOPBACK = "true";
      db = createDb(inject("databaseUrl"), 4);
      ({ orgId, userId } = await seedOrgWithAdmin(db, "initech", "Initech"));
    });
    afterAll(async () => db?.$client.end());

    const settings = (over: Record<string, unknown> = {}) => ({
      url: prom.url, auth: { kind: "bearer" as const, token: "prom-token-123" }, headers: [{ name: "X-Scope-OrgID", value: "tenant-7" }],
      skipVerify: false, clusterLabel: "cluster", clusterLabelValue: "prod-eu", ...over,
    });

    it("stores the endpoint with credentials encrypted; a dump holds no secret; the form reads no secret back", async () => {
      await createCluster(db, { orgId, userId, input: { name: "eu-central", pricePerGibMonth: 3.2, currency: "USD" } });
      const view = await saveSettings(db, { orgId, userId, slug: "eu-central", input: settings() });
      expect(view).toMatchObject({ url: prom.url, authKind: "bearer", hasSecret: true, headers: [{ name: "X-Scope-OrgID", hasValue: true }], clusterLabel: "cluster" });
      expect(JSON.stringify(view)).not.toContain("prom-token-123");
      expect(JSON.stringify(view)).not.toContain("tenant-7");
      const dump = JSON.stringify(await db.select().from(clusters).where(eq(clusters.orgId, orgId)));
      expect(dump).not.toContain("prom-token-123");
      expect(dump).not.toContain("tenant-7");
      // saving again with the token left empty keeps the stored one
      await saveSettings(db, { orgId, userId, slug: "eu-central", input: settings({ auth: { kind: "bearer" } , headers: [{ name: "X-Scope-OrgID" }] }) });
      expect((await getSettings(db, { orgId, slug: "eu-central" }))!.hasSecret).toBe(true);
    });

    it("stores renamed label names (only those that differ) and refuses names Prometheus would not accept", async () => {
      const { prometheusSettingsInput } = await import("@/lib/clusters/prometheus-settings");
      const bad = prometheusSettingsInput.safeParse(settings({ labelNames: { ksm: { pod: "exported-pod" } } }));
      expect(bad.success).toBe(false);
      expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["labelNames.ksm.pod"]);
      const input = prometheusSettingsInput.parse(settings({ auth: { kind: "bearer" }, headers: [{ name: "X-Scope-OrgID" }], labelNames: { cadvisor: { namespace: "namespace", pod: "pod_name", container: "" }, ksm: { namespace: "", pod: "", container: "" } } }));
      expect((await saveSettings(db, { orgId, userId, slug: "eu-central", input }))!.labelNames).toEqual({ cadvisor: { pod: "pod_name" } });
      const back = prometheusSettingsInput.parse(settings({ auth: { kind: "bearer" }, headers: [{ name: "X-Scope-OrgID" }] }));
      expect((await saveSettings(db, { orgId, userId, slug: "eu-central", input: back }))!.labelNames).toBeNull();
    });

    it("stored credentials are not sent to a URL on another host: they must be entered again", async () => {
      const moved = settings({ url: "http://127.0.0.1:9", auth: { kind: "bearer" }, headers: [{ name: "X-Scope-OrgID" }] });
      await expect(testSettings(db, { orgId, slug: "eu-central", input: moved })).rejects.toThrow(/the bearer token is required \(the URL's host changed/);
      const audit = await db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, "cluster.prometheus.update")));
      expect(JSON.stringify(audit)).not.toContain("prom-token-123");
    });

    it("Test connection reports cAdvisor, kube-state-metrics and the number of containers", async () => {
      const report = await testSettings(db, { orgId, slug: "eu-central", input: settings({ auth: { kind: "bearer" } }) });
      expect(report!.error).toBeNull();
      expect(report!.ok).toBe(true);
      expect(report!.version).toMatch(/^2\./);
      // Prometheus evaluates the one-pass percentile query: it keeps the fast path
      expect(report!.queryMode).toBe("fast");
      expect(report!.queryModeDetail).toMatch(/one pass/);
      expect(report!.containers).toBe(PROD.workloads.reduce((n, w) => n + w.replicas, 0));
      expect(report!.checks.find((c) => c.id === "ksmContainerInfo")!.count).toBeGreaterThan(0);
      for (const id of ["cadvisorRss", "cadvisorCache", "ksmRequests", "ksmRestarts", "ksmLastTerminatedTimestamp"]) expect(report!.checks.find((c) => c.id === id)?.count, id).toBeGreaterThan(0);
      const wrong = await testSettings(db, { orgId, slug: "eu-central", input: settings({ clusterLabelValue: "nope" }) });
      expect(wrong!.ok).toBe(false);
      expect(wrong!.error).toMatch(/Missing: cAdvisor working set, kube-state-metrics containers.*check the cluster label/);
      expect(wrong!.checks.find((c) => c.id === "ksmContainerInfo")!.help).toMatch(/Install kube-state-metrics/);
      const down = await testSettings(db, { orgId, slug: "eu-central", input: settings({ url: "http://127.0.0.1:1" }) });
      expect(down).toMatchObject({ ok: false, checks: [] });
      expect(down!.error).toMatch(/connection refused/);
    });

    it("a sync fills the inventory, the OOMKills and the incidents; a second sync adds nothing", async () => {
      const first = await syncNow(db, { orgId, slug: "eu-central", now: NOW });
      expect(first).toMatchObject({ workloads: PROD.workloads.length, containers: PROD.workloads.length });
      const cluster = await getCluster(db, { orgId, slug: "eu-central", now: new Date(NOW * 1000) });
      expect(cluster).toMatchObject({ workloads: PROD.workloads.length, hasPrometheus: true, lastSyncError: null });
      expect(cluster!.ooms30d).toBe(first!.oomKills);
      expect(first!.oomKills).toBeGreaterThan(100);
      const leak = await db.select().from(incidents).innerJoin(workloads, eq(workloads.id, incidents.workloadId)).where(and(eq(incidents.orgId, orgId), eq(workloads.name, "payments-api")));
      expect(leak[0]!.incidents.pattern).toBe("leak");
      const again = await syncNow(db, { orgId, slug: "eu-central", now: NOW });
      expect(again!.incidentsCreated).toBe(0);
      const events = await db.select().from(oomEvents).where(eq(oomEvents.orgId, orgId));
      expect(events.filter((e) => e.reason === "OOMKilled")).toHaveLength(first!.oomKills);
      expect(events.every((e) => e.reason !== "OOMKilled" || e.exitCode === 137)).toBe(true);
    });

    it("stores kube-state-metrics' workload labels, so the cost page groups a Prometheus-only cluster by team; an agent's labels stand", async () => {
      const stored = await db.select({ name: workloads.name, labels: workloads.labels }).from(workloads).where(eq(workloads.orgId, orgId));
      expect(stored).toHaveLength(PROD.workloads.length);
      for (const w of PROD.workloads) {
        expect(stored.find((x) => x.name === w.name)!.labels, w.name).toMatchObject({ "app_kubernetes_io_part_of": w.labels!["app.kubernetes.io/part-of"], ...(w.labels!.team ? { team: w.labels!.team } : {}) });
      }
      const teams = new Set(PROD.workloads.map((w) => w.labels!.team ?? "(no team)"));
      const byTeam = await getCostReport(db, { orgId, now: NOW, query: costQuery.parse({ group: "label", label: "team" }) });
      expect(byTeam.unavailable).toEqual([]);
      expect(new Set(byTeam.breakdown.groups.map((g) => g.key))).toEqual(teams);
      // the key as Kubernetes writes it finds kube-state-metrics' sanitized one
      const byPartOf = await getCostReport(db, { orgId, now: NOW, query: costQuery.parse({ group: "label", label: "app.kubernetes.io/part-of" }) });
      expect(new Set(byPartOf.breakdown.groups.map((g) => g.key))).toEqual(new Set(PROD.workloads.map((w) => w.labels!["app.kubernetes.io/part-of"])));

      // an agent heard from lately owns the labels (its keys as written): a sync leaves them alone
      const [one] = await db.select().from(workloads).where(and(eq(workloads.orgId, orgId), eq(workloads.name, PROD.workloads[0]!.name)));
      await db.update(workloads).set({ labels: { team: "from-the-agent" } }).where(eq(workloads.id, one!.id));
      await db.update(clusters).set({ kubeSyncAt: new Date(NOW * 1000) }).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, "eu-central")));
      await syncNow(db, { orgId, slug: "eu-central", now: NOW });
      expect((await db.select().from(workloads).where(eq(workloads.id, one!.id)))[0]!.labels).toEqual({ team: "from-the-agent" });
      // once the agent is silent, kube-state-metrics' labels are the ones there are
      await db.update(clusters).set({ kubeSyncAt: null }).where(and(eq(clusters.orgId, orgId), eq(clusters.slug, "eu-central")));
      await syncNow(db, { orgId, slug: "eu-central", now: NOW });
      expect((await db.select().from(workloads).where(eq(workloads.id, one!.id)))[0]!.labels).toMatchObject({ team: PROD.workloads[0]!.labels!.team });
    });

    it("a container's page gives the same verdict, request, limit and command as its incident", async () => {
      const cluster = (await getCluster(db, { orgId, slug: "eu-central", now: new Date(NOW * 1000) }))!;
      const open = await db.select().from(incidents).innerJoin(workloads, eq(workloads.id, incidents.workloadId)).where(eq(incidents.orgId, orgId));
      expect(open.length).toBeGreaterThan(3);
      // every container, with or without an incident: the page's verdict is the whole-cluster read's
      const sourced = new PrometheusSource({ url: prom.url, policy: LOOPBACK, labels: { clusterLabel: "cluster", clusterValue: "prod-eu" } });
      const whole = await sourced.clusterHistory({ start: NOW - ANALYSIS_WINDOW_SECONDS, end: NOW, stepSeconds: ANALYSIS_STEP_SECONDS }, { terminationStep: 120, exitCodes: true });
      expect(whole).toHaveLength(PROD.workloads.length);
      for (const h of whole) {
        const view = await getContainerView(db, { orgId, cluster, namespace: h.workload.namespace, kind: h.workload.kind.toLowerCase(), name: h.workload.name, container: h.container.name, now: NOW, window: "7d" });
        const a = analyzeDiscovered(h, { now: NOW });
        expect(view!.analysis!.pattern, h.workload.name).toBe(a.pattern);
        expect(view!.analysis!.recommendation, h.workload.name).toMatchObject({ request: a.recommendation!.request, limit: a.recommendation!.limit });
      }
      for (const { incidents: incident, workloads: w } of open) {
        const view = await getContainerView(db, { orgId, cluster, namespace: w.namespace, kind: w.kind.toLowerCase(), name: w.name, container: incident.containerName, now: NOW, window: "7d" });
        const stored = incident.analysis as { pattern: string; recommendation: { request: string; limit: string } | null; commands: { kubectl: string } | null };
        expect(view!.analysis!.pattern, w.name).toBe(stored.pattern);
        expect(view!.analysis!.recommendation, w.name).toMatchObject({ request: stored.recommendation!.request, limit: stored.recommendation!.limit });
        expect(view!.analysis!.commands?.kubectl, w.name).toBe(stored.commands?.kubectl);
      }
    });

    it("the container page reads its chart and verdict from Prometheus", async () => {
      const cluster = (await getCluster(db, { orgId, slug: "eu-central", now: new Date(NOW * 1000) }))!;
      const view = await getContainerView(db, { orgId, cluster, namespace: "payments", kind: "statefulset", name: "ledger-db", container: "postgres", now: NOW, window: "7d" });
      expect(view!.metricsError).toBeNull();
      expect(view!.analysis!.pattern).toBe("limit_too_low");
      expect(view!.pods).toHaveLength(3);
      expect(view!.chart!.points.length).toBeGreaterThan(500);
      expect(view!.chart!.points.some((p) => p.rss !== null)).toBe(true);
    });

    it("wrong cAdvisor label names: the sync keeps the inventory and the kills, and the pages say why there is no memory", async () => {
      const wrong = settings({ auth: { kind: "bearer" }, headers: [{ name: "X-Scope-OrgID" }], labelNames: { cadvisor: { pod: "pod_name" } } });
      await saveSettings(db, { orgId, userId, slug: "eu-central", input: wrong });
      const result = await syncNow(db, { orgId, slug: "eu-central", now: NOW });
      expect(result!.workloads).toBe(PROD.workloads.length);
      expect(result!.oomKills).toBeGreaterThan(100);
      const cluster = (await getCluster(db, { orgId, slug: "eu-central", now: new Date(NOW * 1000) }))!;
      expect(cluster.lastSyncError).toMatch(/no cAdvisor working-set series .* match them: .*cAdvisor label names \(now namespace, pod_name, container\)/);
      const view = await getContainerView(db, { orgId, cluster, namespace: "payments", kind: "statefulset", name: "ledger-db", container: "postgres", now: NOW, window: "7d" });
      expect(view!.analysis?.pattern ?? "insufficient_data").toBe("insufficient_data");
      await saveSettings(db, { orgId, userId, slug: "eu-central", input: settings({ auth: { kind: "bearer" }, headers: [{ name: "X-Scope-OrgID" }] }) });
      await syncNow(db, { orgId, slug: "eu-central", now: NOW });
      expect((await getCluster(db, { orgId, slug: "eu-central", now: new Date(NOW * 1000) }))!.lastSyncError).toBeNull();
    });

    it("when Prometheus goes away the pages degrade with a reason and keep the inventory", async () => {
      // a new host needs its credentials again
      await saveSettings(db, { orgId, userId, slug: "eu-central", input: settings({ url: "http://127.0.0.1:1" }) });
      await expect(syncNow(db, { orgId, slug: "eu-central", now: NOW })).rejects.toThrow(/connection refused/);
      const cluster = (await getCluster(db, { orgId, slug: "eu-central", now: new Date(NOW * 1000) }))!;
      expect(cluster.lastSyncError).toMatch(/connection refused/);
      expect(cluster.workloads).toBe(PROD.workloads.length);
      const view = await getContainerView(db, { orgId, cluster, namespace: "payments", kind: "statefulset", name: "ledger-db", container: "postgres", now: NOW, window: "7d" });
      expect(view!.analysis).toBeNull();
      expect(view!.metricsError).toMatch(/Could not read this container's memory history: .*connection refused/);
      // the overview says which cluster's live usage is missing, and why, instead of leaving it out silently
      const { listAtRisk } = await import("@/lib/overview");
      const risk = await listAtRisk(db, { orgId, now: new Date(NOW * 1000), limit: 8 });
      expect(risk.unavailable).toHaveLength(1);
      expect(risk.unavailable[0]).toMatchObject({ cluster: "eu-central" });
      expect(risk.unavailable[0]!.reason).toMatch(/connection refused/);
    });
  });

  it("wrong metric names (no kube-state-metrics for that cluster) give a clear error, not an empty answer", async () => {
    const run = analyzeFromPrometheus(parseArgs(["--prometheus", prom.url, "--cluster-label", "k8s_cluster", "--cluster", "prod-eu"]), { now: NOW, policy: LOOPBACK });
    await expect(run).rejects.toThrow(/no workloads match cluster k8s_cluster="prod-eu"/);
  });
});

describe("Prometheus faults give clear errors", () => {
  type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let server: http.Server;
  let url: string;
  let handler: Handler = (_q, res) => res.end();
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  // no test's handler outlives it: a late retry gets an empty answer, never another test's server
  afterEach(() => {
    handler = (_q, res) => res.end();
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const client = (extra: Partial<ConstructorParameters<typeof PrometheusClient>[0]> = {}) => new PrometheusClient({ url, policy: LOOPBACK, timeoutMs: 2000, ...extra });
  const failure = async (p: Promise<unknown>) => {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(PrometheusError);
    return e as PrometheusError;
  };

  it("down: connection refused, retried, then named", async () => {
    const e = await failure(new PrometheusClient({ url: "http://127.0.0.1:1", policy: LOOPBACK, retries: 2 }).query("up"));
    expect(e.kind).toBe("network");
    expect(e.message).toBe("http://127.0.0.1:1/api/v1/query: connection refused (is Prometheus running at this address?)");
  });

  it("slow: a timeout after the configured time, not retried", async () => {
    hits = 0;
    handler = () => {}; // never answers
    const started = Date.now();
    const e = await failure(client({ timeoutMs: 500 }).query("up"));
    expect(e.kind).toBe("timeout");
    expect(e.message).toMatch(/no complete answer within 0.5 s/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hits).toBe(1);
  });

  it("5xx: retried with backoff, then an error with the status", async () => {
    hits = 0;
    handler = (_q, res) => {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("service unavailable: too many queries");
    };
    const c = client({ retries: 2 });
    const e = await failure(c.query("up"));
    expect(e.kind).toBe("http");
    expect(e.status).toBe(503);
    // the status's standard reason, never the foreign server's body
    expect(e.message).toContain("HTTP 503 service unavailable");
    expect(e.message).not.toContain("too many queries");
    expect(hits).toBe(3);
    expect(c.stats.retries).toBe(2);
  });

  it("5xx then success: a transient failure is absorbed by the retry", async () => {
    hits = 0;
    handler = (_q, res) => {
      if (hits === 1) {
        res.writeHead(502);
        return res.end("bad gateway");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: { job: "x" }, value: [1, "1"] }] } }));
    };
    expect(await client().query("up")).toEqual([{ metric: { job: "x" }, t: 1, v: 1 }]);
    expect(hits).toBe(2);
  });

  it("4xx: Prometheus's own message, never retried", async () => {
    hits = 0;
    handler = (_q, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "error", errorType: "bad_data", error: 'parse error at char 5: unexpected "}"' }));
    };
    const e = await failure(client().query("up{}}"));
    expect(e.kind).toBe("query");
    expect(e.message).toContain('HTTP 400 bad_data: parse error at char 5: unexpected "}"');
    expect(hits).toBe(1);
  });

  it("401: says to check the credentials; the bearer token and custom headers are sent", async () => {
    let seen: http.IncomingHttpHeaders = {};
    handler = (req, res) => {
      seen = req.headers;
      res.writeHead(401);
      res.end("unauthorized");
    };
    const e = await failure(client({ auth: { kind: "bearer", token: "s3cret" }, headers: { "X-Scope-OrgID": "tenant-a" } }).query("up"));
    expect(e.message).toMatch(/HTTP 401 unauthorized \(check the credentials\)/);
    expect(seen.authorization).toBe("Bearer s3cret");
    expect(seen["x-scope-orgid"]).toBe("tenant-a");
  });

  it("huge response: cut off at the size cap with advice", async () => {
    handler = (_q, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 32);
      let sent = 0;
      const pump = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once("drain", pump);
        else res.end();
      };
      pump();
    };
    const e = await failure(client({ maxResponseBytes: 1024 * 1024 }).query("up"));
    expect(e.kind).toBe("too_large");
    expect(e.message).toMatch(/larger than 1Mi: narrow the query/);
  });

  it("not a Prometheus: a 200 that is not the API", async () => {
    handler = (_q, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>Grafana</html>");
    };
    const e = await failure(client().query("up"));
    expect(e.kind).toBe("bad_response");
    expect(e.message).toMatch(/is this URL the Prometheus API\?/);
  });

  it("the analyze command names each fault: slow, 5xx, 4xx, huge, not a Prometheus", async () => {
    const json = (res: http.ServerResponse, status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    let seriesHits = 0;
    const faults: [string, Handler, string, RegExp][] = [
      ["slow", () => {}, "timeout", /no complete answer within 1 s/],
      ["5xx", (_q, res) => json(res, 503, { status: "error", errorType: "unavailable", error: "too many queries" }), "http", /HTTP 503/],
      ["4xx", (_q, res) => json(res, 422, { status: "error", errorType: "execution", error: "query processing would load too many samples into memory" }), "query", /HTTP 422 execution: query processing would load too many samples/],
      ["huge", (req, res) => {
        // one answer too large; the others valid but late, so the size cap is what the command reports
        const series = req.url!.includes("/api/v1/series");
        if (!series || seriesHits++ > 0) {
          setTimeout(() => json(res, 200, { status: "success", data: series ? [] : req.url!.includes("/query_range") ? { resultType: "matrix", result: [] } : { resultType: "vector", result: [] } }), 3000);
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(1024 * 1024, 32);
        let sent = 0;
        const pump = () => {
          while (sent < 130 && !res.destroyed && res.write(chunk)) sent++;
          if (sent < 130 && !res.destroyed) res.once("drain", pump);
          else res.end();
        };
        pump();
      }, "too_large", /larger than 128Mi: narrow the query/],
      ["not a Prometheus", (_q, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>Grafana</html>");
      }, "bad_response", /is this URL the Prometheus API\?/],
    ];
    for (const [name, h, kind, message] of faults) {
      // each fault under its own path prefix: a request an earlier fault's client still retries in the
      // background (5xx) gets a quick refusal, never this fault's one huge answer
      const prefix = `/${name.replace(/\W+/g, "-")}`;
      handler = (req, res) => (req.url!.startsWith(`${prefix}/`) ? h(req, res) : json(res, 503, { status: "error", errorType: "unavailable", error: "an earlier fault's request" }));
      hits = 0;
      const e = await failure(analyzeFromPrometheus(parseArgs(["--prometheus", `${url}${prefix}`, "--timeout", name === "slow" ? "1" : "30"]), { now: NOW, policy: LOOPBACK }));
      expect(e.kind, name).toBe(kind);
      expect(e.message, name).toMatch(message);
      expect(e.message, name).toContain(`${url}${prefix}/api/v1/`);
    }
  }, 60_000);

  it("a redirect to the metadata address is refused", async () => {
    handler = (_q, res) => {
      res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
    };
    const e = await failure(client().query("up"));
    expect(e.kind).toBe("blocked");
    expect(e.message).toMatch(/redirect refused: .*169\.254\.169\.254 is link-local/);
  });

  it("credentials and custom headers never follow a redirect to another origin", async () => {
    let seen: http.IncomingHttpHeaders | null = null;
    const other = http.createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.2", r));
    // the port is read once: a late request must not reach this handler after `other` has closed
    const otherPort = (other.address() as AddressInfo).port;
    handler = (_q, res) => {
      res.writeHead(307, { location: `http://127.0.0.2:${otherPort}/api/v1/query` });
      res.end();
    };
    await client({ auth: { kind: "bearer", token: "s3cret" }, headers: { "X-Scope-OrgID": "tenant-a" } }).query("up");
    expect(seen).not.toBeNull();
    expect(seen!.authorization).toBeUndefined();
    expect(seen!["x-scope-orgid"]).toBeUndefined();
    await new Promise<void>((r) => other.close(() => r()));
  });

  it("a server that refuses the @ modifier runs the portable percentiles; one that refuses the credentials fails the read, and nothing is cached", async () => {
    // an old Prometheus (before 2.33, where @ was a feature flag) under /old, a locked one under /locked
    const probes = { old: 0, locked: 0 };
    handler = (req, res) => {
      const old = req.url!.startsWith("/old/");
      if (old) probes.old++;
      else if (req.url!.startsWith("/locked/")) probes.locked++;
      res.writeHead(old ? 400 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(old ? { status: "error", errorType: "bad_data", error: "1:84: parse error: @ modifier is disabled" } : { status: "error", errorType: "unauthorized", error: "bad token" }));
    };
    const source = (prefix: string) => new PrometheusSource({ url: `${url}/${prefix}`, policy: LOOPBACK, retries: 0 });
    expect(await source("old").queryMode()).toBe("portable");
    expect(await source("old").queryMode()).toBe("portable");
    expect(probes.old).toBe(1);
    const e = await failure(source("locked").queryMode());
    expect(e.message).toMatch(/HTTP 401/);
    await failure(source("locked").queryMode());
    expect(probes.locked).toBe(2);
  });

  it("the analyze command reports a dead Prometheus with exit 2 and one error line", () => {
    const run = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", "http://127.0.0.1:1", "--window", "1d"], { encoding: "utf8", env: { ...process.env, HEADROOM_ALLOW_LOOPBACK: "true" } });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: http:\/\/127\.0\.0\.1:1\/api\/v1\/\w+: connection refused/);
    const blocked = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", "http://169.254.169.254/"], { encoding: "utf8" });
    expect(blocked.status).toBe(2);
    expect(blocked.stderr).toMatch(/^error: .*link-local/);
  });
});

describe("TLS: a private CA or skip-verify", () => {
  let server: https.Server;
  let url: string;
  let caPem: string;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "headroom-tls-"));
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    caPem = fs.readFileSync(path.join(dir, "cert.pem"), "utf8");
    server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert: caPem }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [{ metric: {}, value: [1, "42"] }] } }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("refuses an unknown certificate, accepts it with its CA, or with skip-verify", async () => {
    const plain = await new PrometheusClient({ url, policy: LOOPBACK, retries: 0 }).query("up").then(() => null, (e: unknown) => e as PrometheusError);
    expect(plain?.kind).toBe("network");
    expect(plain?.message).toMatch(/self[- ]signed certificate/);
    expect(await new PrometheusClient({ url, policy: LOOPBACK, caPem }).query("up")).toEqual([{ metric: {}, t: 1, v: 42 }]);
    expect(await new PrometheusClient({ url, policy: LOOPBACK, skipVerify: true }).query("up")).toEqual([{ metric: {}, t: 1, v: 42 }]);
  });

  it("the analyze command takes the CA (--ca-file) or skip-verify", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hr-ca-")), "ca.pem");
    fs.writeFileSync(file, caPem);
    const run = (extra: string[]) => analyzeFromPrometheus(parseArgs(["--prometheus", url, ...extra]), { now: NOW, policy: LOOPBACK }).then(() => null, (e: unknown) => e as PrometheusError);
    expect((await run([]))?.message).toMatch(/self[- ]signed certificate/);
    // past TLS, this server is no Prometheus: the error is about its answer, not its certificate
    for (const extra of [["--ca-file", file], ["--insecure-skip-verify"]]) {
      const e = await run(extra);
      expect(e?.message, extra.join(" ")).not.toMatch(/certificate/);
      expect(e?.kind, extra.join(" ")).toBe("bad_response");
    }
  });
});

// Relabelling renames labels: kube-state-metrics scraped without honor_labels carries
// exported_namespace/pod/container (and its own pod's labels under the standard names), cAdvisor
// before Kubernetes 1.16 says pod_name and container_name.
describe.skipIf(missing !== null)("renamed namespace, pod and container labels", () => {
  const RENAMED = { cadvisor: { pod: "pod_name", container: "container_name" }, ksm: { namespace: "exported_namespace", pod: "exported_pod", container: "exported_container" } };
  const start = NOW - 7 * 86_400;
  let prom: RunningPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus([STAGING], { start, end: NOW, step: STEP, labelNames: RENAMED });
  }, 120_000);
  afterAll(async () => prom?.stop());

  it("the connection test finds the renamed labels and suggests them", async () => {
    const { testConnection } = await import("@/lib/clusters/connection-test");
    const plain = await testConnection({ url: prom.url, policy: LOOPBACK }, NOW);
    expect(plain.ok).toBe(false);
    expect(plain.suggestedLabelNames).toEqual(RENAMED);
    expect(plain.error).toMatch(/kube-state-metrics label names: the namespace, pod, container labels are the exporter.s own \(scraped without honor_labels\); the series. own are exported_namespace, exported_pod, exported_container/);
    expect(plain.error).toMatch(/cAdvisor label names: the series have no pod, container label; they carry pod_name, container_name/);
    const fixed = await testConnection({ url: prom.url, policy: LOOPBACK, labels: plain.suggestedLabelNames! }, NOW);
    expect(fixed.ok, fixed.error ?? "").toBe(true);
    expect(fixed.containers).toBe(STAGING.workloads.reduce((n, w) => n + w.replicas * w.containers.length, 0));
  });

  it("with the names configured, discovery, history, terminations and verdicts match the in-memory analysis", async () => {
    const source = new PrometheusSource({ url: prom.url, policy: LOOPBACK, labels: RENAMED, minStepSeconds: STEP });
    const found = await source.discover(start, NOW);
    // the exporter's own pod (namespace "monitoring") must not appear as a workload
    expect(found.map((w) => `${w.namespace}/${w.name}`).sort()).toEqual(STAGING.workloads.map((w) => `${w.namespace}/${w.name}`).sort());
    for (const w of STAGING.workloads) {
      const memory = memoryAnalysis("staging", w, start, NOW, STEP);
      const history = await source.containerHistory({ cluster: "staging", namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: w.containers[0]!.name }, { start, end: NOW, stepSeconds: STEP });
      expect(history.map((p) => p.pod).sort()).toEqual(fleetPods("staging", w).map((p) => p.name).sort());
      const viaProm = analyzeContainer({ now: NOW, container: containerInput(w), pods: history.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations })) });
      expect(viaProm.pattern, w.name).toBe(memory.pattern);
      expect(viaProm.recommendation?.limit, w.name).toBe(memory.recommendation?.limit);
      expect(viaProm.evidence.oomKills, w.name).toBe(memory.evidence.oomKills);
    }
    // the command takes the same names as flags
    const { results } = await analyzeFromPrometheus(parseArgs(["--prometheus", prom.url, "--cadvisor-labels", "namespace,pod_name,container_name", "--ksm-labels", "exported_namespace,exported_pod,exported_container", "--window", "7d", "--step", "300"]), { now: NOW, policy: LOOPBACK });
    expect(results.map((r) => r.workload.name).sort()).toEqual(STAGING.workloads.map((w) => w.name).sort());
    expect(() => parseArgs(["--prometheus", prom.url, "--ksm-labels", "exported-namespace,pod"])).toThrow(/three label names/);
  });

  it("wrong cAdvisor label names: the command says no working-set series match, with exit 2", () => {
    const env = { ...process.env, HEADROOM_ALLOW_LOOPBACK: "true" };
    const run = spawnSync("npx", ["tsx", "scripts/analyze.ts", "--prometheus", prom.url, "--ksm-labels", "exported_namespace,exported_pod,exported_container", "--window", "7d"], { encoding: "utf8", env });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*kube-state-metrics lists \d+ pods, but no cAdvisor working-set series \(container_memory_working_set_bytes\) match them: .*cAdvisor label names \(now namespace, pod, container\)/);
  });
});

// kube-state-metrics before 2.11 has no last_terminated_timestamp: terminations come from the
// restart count (scraped every minute here, as kube-prometheus-stack does every 30 s) and the last reason.
describe.skipIf(missing !== null)("kube-state-metrics without termination times (before 2.11)", () => {
  const start = NOW - 7 * 86_400;
  let prom: RunningPrometheus;
  let source: PrometheusSource;
  beforeAll(async () => {
    prom = await startPrometheus([PROD], { start, end: NOW, step: STEP, terminationStep: 60, omit: ["kube_pod_container_status_last_terminated_timestamp"] });
    source = new PrometheusSource({ url: prom.url, policy: LOOPBACK, minStepSeconds: STEP });
  }, 120_000);
  afterAll(async () => prom?.stop());

  it("dates each OOMKill from the restart count, within minutes, and reaches the same verdicts", async () => {
    expect(await source.terminationMode(NOW, NOW - start)).toBe("restarts");
    let kills = 0;
    for (const w of PROD.workloads) {
      const container = containerInput(w);
      const truth = truthPods("prod-eu", w, start, NOW, STEP);
      const history = await source.containerHistory({ cluster: "prod-eu", namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: container.name }, { start, end: NOW, stepSeconds: STEP });
      for (const p of history) {
        // away from the window's ends (the unfinished step waits), each kill is found a scrape
        // interval (60 s) and a step (at most 120 s) from the truth, with its reason, and nothing else is
        const inner = (x: { at: number }) => x.at >= start + 600 && x.at <= NOW - 600;
        const real = truth.find((x) => x.name === p.pod)!.terminations;
        const near = (a: { at: number; reason: string }, list: { at: number; reason: string }[]) => list.some((b) => Math.abs(a.at - b.at) <= 180 && a.reason === b.reason);
        for (const x of real.filter(inner)) expect(near(x, p.terminations), `${w.name}/${p.pod} real kill at ${x.at - start}`).toBe(true);
        for (const x of p.terminations.filter(inner)) expect(near(x, real), `${w.name}/${p.pod} found kill at ${x.at - start}`).toBe(true);
        expect(Math.abs(p.terminations.length - real.length), `${w.name}/${p.pod}`).toBeLessThanOrEqual(1);
        kills += p.terminations.length;
      }
      const memory = analyzeContainer({ now: NOW, container, pods: truth });
      const viaProm = analyzeContainer({ now: NOW, container, pods: history.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations })) });
      expect(viaProm.pattern, w.name).toBe(memory.pattern);
      expect(viaProm.recommendation?.limit, w.name).toBe(memory.recommendation?.limit);
    }
    expect(kills).toBeGreaterThan(5);
  });

  it("dates a restart the same way in every read, so a later sync does not see it twice", async () => {
    const scope = { namespace: "payments" };
    const a = await source.terminations(scope, start, NOW - 3600, 120);
    const b = await new PrometheusSource({ url: prom.url, policy: LOOPBACK }).terminations(scope, start, NOW - 3600 + 437, 120);
    expect([...a.values()].flat().length).toBeGreaterThan(0);
    for (const [k, list] of a) expect(b.get(k)!.slice(0, list.length), k).toEqual(list);
  });

  it("the connection test says termination times are missing and what Headroom does instead", async () => {
    const { testConnection } = await import("@/lib/clusters/connection-test");
    const report = await testConnection({ url: prom.url, policy: LOOPBACK }, NOW);
    expect(report.ok, report.error ?? "").toBe(true);
    const check = report.checks.find((c) => c.id === "ksmLastTerminatedTimestamp")!;
    expect(check.count).toBe(0);
    expect(check.help).toMatch(/restart count/);
    expect(report.checks.find((c) => c.id === "ksmRestarts")!.count).toBeGreaterThan(0);
  });
});
