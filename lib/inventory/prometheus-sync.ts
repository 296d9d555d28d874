import { and, eq, gte } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters, containers, oomEvents, pods, workloads } from "@/db/schema";
import { AnalysisError } from "@/lib/analysis";
import { analyzeDiscovered, ANALYSIS_STEP_SECONDS, ANALYSIS_WINDOW_SECONDS } from "@/lib/incidents/analyze";
import { verifyFixes } from "@/lib/incidents/fix-verify";
import { coverageProblem, TERMINATION_STEP, type PrometheusSource } from "@/lib/metrics/prometheus-source";
import { stableUuid } from "@/lib/scenarios/random";
import { syncIncidentsBatch, type IncidentTarget } from "./store";
import { skippedSentence, splitByValidNames } from "./valid-names";

/** How far back a sync reads: the analysis window of the pages. */
export const SYNC_WINDOW_SECONDS = ANALYSIS_WINDOW_SECONDS;
/** read as a container's page reads its verdict (analysisHistory), so the page and the incident agree */
const SYNC_STEP_SECONDS = ANALYSIS_STEP_SECONDS;

export interface SyncResult {
  workloads: number;
  containers: number;
  terminations: number;
  oomKills: number;
  incidentsCreated: number;
}

/**
 * Reads a Prometheus-backed cluster into the inventory: workloads, containers (image, request,
 * limit), pods, terminations (OOMKilled told apart from other exits by kube-state-metrics' reason and
 * exit code) and incidents with the engine's analysis. Idempotent; a failure is recorded on the
 * cluster (lastSyncError) for its pages to show, and rethrown.
 */
export async function syncClusterFromPrometheus(
  db: Db,
  q: {
    orgId: string; clusterId: string; slug: string; source: PrometheusSource; now: number; pricing: { currency: string; perGiBMonth: number };
    /**
     * the Kubernetes API (an agent or direct mode) is this cluster's source of pods and kills: Prometheus
     * then gives the history only — its pods and terminations (named by pod, not by uid) would double them
     */
    kubernetesInventory?: boolean;
  },
): Promise<SyncResult> {
  const now = Math.floor(q.now);
  const at = new Date(now * 1000);
  let history;
  try {
    // events need every kill and its exit code: a fine termination step, which change detection keeps cheap
    history = await q.source.clusterHistory({ start: now - SYNC_WINDOW_SECONDS, end: now, stepSeconds: SYNC_STEP_SECONDS }, { terminationStep: TERMINATION_STEP, exitCodes: true, labels: !q.kubernetesInventory });
  } catch (e) {
    await db.update(clusters).set({ lastSyncError: (e as Error).message }).where(and(eq(clusters.id, q.clusterId), eq(clusters.orgId, q.orgId)));
    throw e;
  }
  const { valid, skipped } = splitByValidNames(history);
  history = valid;
  const refused: string[] = [];
  const result: SyncResult = { workloads: 0, containers: 0, terminations: 0, oomKills: 0, incidentsCreated: 0 };
  await db.transaction(async (tx) => {
    const workloadIds = new Map<string, string>();
    for (const { workload: w } of history) {
      const k = `${w.namespace}/${w.kind}/${w.name}`;
      if (workloadIds.has(k)) continue;
      // kube-state-metrics' labels where it exports them (not read while an agent or a direct read, fresher and
      // with the keys as written, owns them); unknown labels (null) never clear stored ones
      const labels = w.labels;
      const [row] = await tx
        .insert(workloads)
        .values({ orgId: q.orgId, clusterId: q.clusterId, kind: w.kind, namespace: w.namespace, name: w.name, replicas: w.replicas, labels })
        .onConflictDoUpdate({
          target: [workloads.clusterId, workloads.namespace, workloads.kind, workloads.name],
          set: { replicas: w.replicas, updatedAt: at, ...(labels ? { labels } : {}) },
        })
        .returning({ id: workloads.id });
      workloadIds.set(k, row!.id);
      result.workloads++;
      if (w.pods.length && !q.kubernetesInventory) {
        await tx
          .insert(pods)
          .values(w.pods.map((name) => ({ orgId: q.orgId, clusterId: q.clusterId, workloadId: row!.id, uid: podUid(q.slug, w.namespace, name), namespace: w.namespace, name, phase: "Running" })))
          .onConflictDoUpdate({ target: [pods.clusterId, pods.uid], set: { updatedAt: at } });
      }
    }
    const incidentTargets: IncidentTarget[] = [];
    for (const h of history) {
      const { workload: w, container: c, pods: podHistory } = h;
      const workloadId = workloadIds.get(`${w.namespace}/${w.kind}/${w.name}`)!;
      await tx
        .insert(containers)
        .values({ orgId: q.orgId, workloadId, name: c.name, image: c.image, requestBytes: c.requestBytes, limitBytes: c.limitBytes })
        .onConflictDoUpdate({ target: [containers.workloadId, containers.name], set: { image: c.image, requestBytes: c.requestBytes, limitBytes: c.limitBytes, updatedAt: at } });
      result.containers++;
      const events = q.kubernetesInventory ? [] : podHistory.flatMap((p) =>
        p.terminations.map((t, i) => ({
          orgId: q.orgId, clusterId: q.clusterId, workloadId, namespace: w.namespace, podName: p.pod, podUid: podUid(q.slug, w.namespace, p.pod),
          containerName: c.name, reason: t.reason, exitCode: t.exitCode, finishedAt: new Date(t.at * 1000), restartCount: i + 1,
        })),
      );
      for (let i = 0; i < events.length; i += 500) await tx.insert(oomEvents).values(events.slice(i, i + 500)).onConflictDoNothing();
      result.terminations += events.length;
      const kills = q.kubernetesInventory
        ? (await tx
            .select({ at: oomEvents.finishedAt })
            .from(oomEvents)
            .where(and(eq(oomEvents.workloadId, workloadId), eq(oomEvents.containerName, c.name), eq(oomEvents.reason, "OOMKilled"), gte(oomEvents.finishedAt, new Date((now - SYNC_WINDOW_SECONDS) * 1000)))))
            .map((r) => Math.floor(r.at.getTime() / 1000))
            .sort((a, b) => a - b)
        : podHistory.flatMap((p) => p.terminations.filter((t) => t.reason === "OOMKilled").map((t) => t.at)).sort((a, b) => a - b);
      result.oomKills += kills.length;
      if (kills.length === 0) continue;
      let analysis: unknown;
      try {
        analysis = analyzeDiscovered(h, { now, cluster: q.slug, pricing: q.pricing });
      } catch (e) {
        // impossible statistics: the incident is kept without a verdict, and the cluster says why
        if (!(e instanceof AnalysisError)) throw e;
        refused.push(`${w.namespace}/${w.name}/${c.name}: ${e.message}`);
      }
      incidentTargets.push({ workloadId, container: c.name, kills, ...(analysis !== undefined ? { analysis } : {}) });
    }
    // the incidents of every killed container, in one batch of statements
    result.incidentsCreated += await syncIncidentsBatch(tx, { orgId: q.orgId, clusterId: q.clusterId, now, targets: incidentTargets });
    // the inventory and the kills are kept; the pages say why there is no memory history
    const problems = [coverageProblem(history, q.source.labels), skippedSentence(skipped), refused.length ? `no verdict for ${refused.length} container${refused.length === 1 ? "" : "s"}: ${refused.slice(0, 3).join("; ")}` : null].filter(Boolean);
    await tx.update(clusters).set({ lastSyncAt: at, lastSyncError: problems.length ? problems.join("; ") : null }).where(and(eq(clusters.id, q.clusterId), eq(clusters.orgId, q.orgId)));
  });
  // the specs just read may carry a fix for an incident of this cluster, or prove one
  await verifyFixes(db, { now: at, orgId: q.orgId, clusterId: q.clusterId });
  return result;
}

/** kube_pod_owner carries no uid; a stable one from the pod's identity keeps events unique per occurrence. */
const podUid = (cluster: string, namespace: string, pod: string) => stableUuid(`prometheus/${cluster}/${namespace}/${pod}`);
