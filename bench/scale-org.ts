// A big organization for BENCH_ONLY=scale, generated with the app's own code: the inventory and
// the kills go through the agent's ingest path (lib/ingest: workloads, containers, pods, nodes,
// terminations and the incidents the kills open, grouped by lib/inventory syncIncidents), and each
// OOMKilled container then gets the engine's analysis stored on its incidents, as a Prometheus
// sync stores it (syncIncidents with the engine's verdict over 30 days of its scenario model).
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, workloads } from "@/db/schema";
import { analyzeContainer, AnalysisError } from "@/lib/analysis";
import { ANALYSIS_STEP_SECONDS, ANALYSIS_WINDOW_SECONDS, containerInput } from "@/lib/incidents/analyze";
import { ingestBatch } from "@/lib/ingest/store";
import { syncIncidents } from "@/lib/inventory/store";
import { generateSeries, hashUnit, seedOf, stableUuid, type ScenarioKind } from "@/lib/scenarios";
import type { IngestTermination } from "@/lib/schemas/ingest";

export const SCALE = { clusters: 100, workloadsPerCluster: 50, podsPerCluster: 300, containersPerCluster: 80, nodesPerCluster: 20, oomKills: 98_000, otherTerminations: 8_000 } as const;

const Mi = 1024 * 1024;
const DAY = 86_400;
const HASH = "bcdfghjklmnpqrstvwxz2456789"; // Kubernetes' pod-name hash alphabet

const hashName = (seed: string, n: number) => Array.from({ length: n }, (_, i) => HASH[Math.floor(hashUnit(seedOf(seed), i + 1) * HASH.length)]).join("");
const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-1"];
const NAMESPACES = ["payments", "checkout", "search", "catalog", "identity", "data", "platform", "notifications", "ml", "edge"];
const SERVICES = ["api", "worker", "gateway", "indexer", "scheduler", "cache", "ingester", "router", "exporter", "batcher"];
const KILLER_KINDS: ScenarioKind[] = ["fast_leak", "limit_too_low", "load_spikes", "jvm_xmx", "slow_leak", "batch_peaks"];

interface GenContainer { name: string; kind: "main" | "sidecar"; requestBytes: number | null; limitBytes: number | null; image: string }
interface GenWorkload { namespace: string; kind: "Deployment" | "StatefulSet"; name: string; replicas: number; containers: GenContainer[]; pods: { uid: string; name: string; node: string }[] }
interface GenCluster { slug: string; region: string; workloads: GenWorkload[]; nodes: string[] }

/** The organization's shape: 100 clusters × 50 workloads (10 namespaces), 300 pods and 80 containers each. */
export function scaleFleet(): GenCluster[] {
  return Array.from({ length: SCALE.clusters }, (_, ci) => {
    const slug = `k8s-${REGIONS[ci % REGIONS.length]}-${String(ci).padStart(3, "0")}`;
    const nodes = Array.from({ length: SCALE.nodesPerCluster }, (_, n) => `ip-10-${ci % 250}-${n}-${(n * 7) % 250}.${slug}.internal`);
    let podsLeft = SCALE.podsPerCluster;
    const twoContainers = SCALE.containersPerCluster - SCALE.workloadsPerCluster; // 30 of 50 run a sidecar
    const wl = Array.from({ length: SCALE.workloadsPerCluster }, (_, wi): GenWorkload => {
      const namespace = NAMESPACES[wi % NAMESPACES.length]!;
      const name = `${SERVICES[Math.floor(wi / NAMESPACES.length) % SERVICES.length]}-${namespace}-${wi}`;
      const last = wi === SCALE.workloadsPerCluster - 1;
      const replicas = last ? podsLeft : 2 + ((wi * 7) % 9);
      podsLeft -= replicas;
      const kind = wi % 7 === 3 ? "StatefulSet" : "Deployment";
      const limitMi = [256, 384, 512, 768, 1024, 2048][(ci + wi) % 6]!;
      const containersOf: GenContainer[] = [
        // one in ten workloads runs without a limit (it cannot be OOMKilled by one)
        { name: "app", kind: "main", image: `registry.example/${namespace}/${name}:1.${wi % 20}.${ci % 10}`, requestBytes: (limitMi * Mi * 3) / 4, limitBytes: wi % 10 === 9 ? null : limitMi * Mi },
      ];
      if (wi < twoContainers) containersOf.push({ name: "envoy", kind: "sidecar", image: "envoyproxy/envoy:v1.30.1", requestBytes: 64 * Mi, limitBytes: 128 * Mi });
      const rs = hashName(`${slug}/${name}`, 10);
      const pods = Array.from({ length: replicas }, (_, pi) => {
        const podName = kind === "StatefulSet" ? `${name}-${pi}` : `${name}-${rs}-${hashName(`${slug}/${name}/${pi}`, 5)}`;
        return { uid: stableUuid(`scale/${slug}/${namespace}/${podName}`), name: podName, node: nodes[(wi + pi) % nodes.length]! };
      });
      return { namespace, kind, name, replicas, containers: containersOf, pods };
    });
    return { slug, region: REGIONS[ci % REGIONS.length]!, workloads: wl, nodes };
  });
}

interface Killer { cluster: GenCluster; workload: GenWorkload; container: GenContainer; kills: number[]; scenario: ScenarioKind }

/**
 * 98,000 OOMKills over 30 days on one container in ten, heavy-tailed (a Zipf law, s = 0.7: the worst
 * crash-loops about every ten minutes, most die a few times a week): most are still dying, one in five
 * stopped more than a week ago (a resolved incident), one in ten started in the last three days.
 */
function killers(fleet: GenCluster[], now: number): Killer[] {
  const all = fleet.flatMap((cluster) => cluster.workloads.flatMap((workload) => workload.containers.filter((c) => c.limitBytes !== null).map((container) => ({ cluster, workload, container }))));
  const chosen = all.filter((_, i) => hashUnit(seedOf(`pick/${i}`), 3) < 0.1).slice(0, 800);
  const weights = chosen.map((_, r) => 1 / Math.pow(r + 1, 0.7));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((SCALE.oomKills * w) / sum)));
  counts[0]! += SCALE.oomKills - counts.reduce((a, b) => a + b, 0);
  return chosen.map((c, r) => {
    const shape = hashUnit(seedOf(`shape/${r}`), 5);
    const [from, to] = shape < 0.2 ? [now - 30 * DAY, now - 10 * DAY] : shape < 0.3 ? [now - 3 * DAY, now] : [now - 30 * DAY + 60, now - 60];
    const times = new Set<number>();
    for (let k = 0; times.size < counts[r]!; k++) times.add(Math.floor(from + hashUnit(seedOf(`kill/${r}`), k) * (to - from)));
    return { ...c, kills: [...times].sort((a, b) => a - b), scenario: KILLER_KINDS[r % KILLER_KINDS.length]! };
  });
}

export interface ScaleOrg { orgId: string; clusters: number; workloads: number; pods: number; containers: number; oomKills: number; incidents: number; analyses: number; seconds: number }

/** Generates the organization into `orgId` as of `now` (unix s) and returns what it holds. */
export async function generateScaleOrg(db: Db, q: { orgId: string; now: number; log?: (s: string) => void }): Promise<ScaleOrg> {
  const t0 = performance.now();
  const log = q.log ?? (() => {});
  const fleet = scaleFleet();
  const clusterIds = new Map<string, string>();
  const rows = await db
    .insert(clusters)
    .values(fleet.map((c) => ({ orgId: q.orgId, slug: c.slug, name: c.slug, provider: "AWS EKS", region: c.region, connectionMode: "agent" as const, metricsKind: "prometheus" as const, pricePerGibMonth: 3.2 })))
    .returning({ id: clusters.id, slug: clusters.slug });
  for (const r of rows) clusterIds.set(r.slug, r.id);
  const now = new Date(q.now * 1000);

  // the inventory: one complete snapshot per cluster, as the agent sends it on start
  for (const c of fleet) {
    const snapshot = {
      complete: true,
      workloads: c.workloads.map((w) => ({
        kind: w.kind, namespace: w.namespace, name: w.name, replicas: w.replicas,
        containers: w.containers.map((k) => ({ name: k.name, kind: k.kind, image: k.image, command: null, args: null, env: null, requestBytes: k.requestBytes, limitBytes: k.limitBytes, memoryVolumes: [] })),
      })),
      pods: c.workloads.flatMap((w) => w.pods.map((p) => ({ uid: p.uid, namespace: w.namespace, name: p.name, workloadKind: w.kind, workloadName: w.name, node: p.node, phase: "Running", startedAt: new Date((q.now - 30 * DAY) * 1000).toISOString() }))),
      nodes: c.nodes.map((name, i) => ({ name, allocatableMemoryBytes: 60 * 1024 * Mi, capacityMemoryBytes: 64 * 1024 * Mi, memoryPressure: i === 0 && c.slug.endsWith("7"), instanceType: "m6i.4xlarge" })),
    };
    const raw = JSON.stringify({ snapshot });
    await ingestBatch(db, { orgId: q.orgId, clusterId: clusterIds.get(c.slug)!, body: JSON.parse(raw), raw, idempotencyKey: null, now });
  }
  log(`inventory: ${fleet.length} snapshots stored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // the kills (and other exits), through the ingest path in batches of at most 5,000 per cluster
  const ks = killers(fleet, q.now);
  const byCluster = new Map<string, IngestTermination[]>();
  const push = (slug: string, t: IngestTermination) => (byCluster.get(slug) ?? byCluster.set(slug, []).get(slug)!).push(t);
  for (const k of ks) {
    const restarts = new Map<string, number>();
    k.kills.forEach((at, i) => {
      const pod = k.workload.pods[i % k.workload.pods.length]!;
      const n = (restarts.get(pod.uid) ?? 0) + 1;
      restarts.set(pod.uid, n);
      push(k.cluster.slug, {
        podUid: pod.uid, pod: pod.name, namespace: k.workload.namespace, workloadKind: k.workload.kind, workloadName: k.workload.name, container: k.container.name,
        containerKind: k.container.kind, reason: "OOMKilled", exitCode: 137, finishedAt: new Date(at * 1000).toISOString(), restartCount: n, node: pod.node, message: null,
      });
    });
  }
  for (let i = 0; i < SCALE.otherTerminations; i++) {
    const c = fleet[i % fleet.length]!;
    const w = c.workloads[(i * 13) % c.workloads.length]!;
    const pod = w.pods[i % w.pods.length]!;
    const at = Math.floor(q.now - 30 * DAY + 120 + hashUnit(seedOf(`other/${i}`), 1) * (30 * DAY - 240));
    push(c.slug, {
      podUid: pod.uid, pod: pod.name, namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: "app",
      containerKind: "main", reason: "Error", exitCode: 1, finishedAt: new Date(at * 1000).toISOString(), restartCount: 1, node: pod.node, message: null,
    });
  }
  let stored = 0;
  for (const [slug, list] of byCluster) {
    for (let i = 0; i < list.length; i += 5000) {
      const raw = JSON.stringify({ terminations: list.slice(i, i + 5000) });
      stored += (await ingestBatch(db, { orgId: q.orgId, clusterId: clusterIds.get(slug)!, body: JSON.parse(raw), raw, idempotencyKey: null, now })).stored;
    }
  }
  log(`terminations: ${stored.toLocaleString("en-US")} stored through the ingest path (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  // each killed container's analysis, stored on its incidents as a sync stores it (three pods of its scenario model)
  let analyses = 0;
  const workloadIds = new Map((await db.select({ id: workloads.id, clusterId: workloads.clusterId, namespace: workloads.namespace, kind: workloads.kind, name: workloads.name }).from(workloads).where(eq(workloads.orgId, q.orgId))).map((w) => [`${w.clusterId}/${w.namespace}/${w.kind}/${w.name}`, w.id]));
  let next = 0;
  const worker = async () => {
    while (next < ks.length) {
      const k = ks[next++]!;
      const clusterId = clusterIds.get(k.cluster.slug)!;
      const workloadId = workloadIds.get(`${clusterId}/${k.workload.namespace}/${k.workload.kind}/${k.workload.name}`)!;
      const ref = { cluster: k.cluster.slug, namespace: k.workload.namespace, workloadKind: k.workload.kind, workloadName: k.workload.name, container: k.container.name };
      await syncIncidents(db, {
        orgId: q.orgId, clusterId, workloadId, container: k.container.name, kills: k.kills, now: q.now,
        analyze: async () => {
          const window = { start: q.now - ANALYSIS_WINDOW_SECONDS, end: q.now, stepSeconds: ANALYSIS_STEP_SECONDS };
          const pods = k.workload.pods.slice(0, 3).map((p, i) => {
            const s = generateSeries({ kind: k.scenario, seed: seedOf(`${ref.cluster}/${p.name}/${i}`), limitBytes: k.container.limitBytes! }, window);
            return { name: p.name, t: s.t, workingSet: s.workingSet, terminations: s.terminations };
          });
          try {
            const a = analyzeContainer({ now: q.now, container: containerInput(ref, k.workload.replicas, { ...k.container, command: null, args: null, env: null }), pods, pricing: { currency: "USD", perGiBMonth: 3.2 } });
            analyses++;
            return a;
          } catch (e) {
            if (!(e instanceof AnalysisError)) throw e;
            return undefined;
          }
        },
      });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const counts = await db.execute<{ workloads: number; pods: number; containers: number; kills: number; incidents: number }>(
    // one read of what was stored, for the report
    sql`select
      (select count(*)::int from workloads where org_id = ${q.orgId}) as workloads,
      (select count(*)::int from pods where org_id = ${q.orgId}) as pods,
      (select count(*)::int from ${containers} where org_id = ${q.orgId}) as containers,
      (select count(*)::int from oom_events where org_id = ${q.orgId} and reason = 'OOMKilled') as kills,
      (select count(*)::int from incidents where org_id = ${q.orgId}) as incidents`,
  );
  const c = counts.rows[0]!;
  return { orgId: q.orgId, clusters: fleet.length, workloads: c.workloads, pods: c.pods, containers: c.containers, oomKills: c.kills, incidents: c.incidents, analyses, seconds: (performance.now() - t0) / 1000 };
}
