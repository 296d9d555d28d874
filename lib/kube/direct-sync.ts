import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { clusters } from "@/db/schema";
import { ingestBatch, type IngestResult } from "@/lib/ingest/store";
import { MAX_BATCH_TERMINATIONS, type IngestTermination } from "@/lib/schemas/ingest";
import { policyFromEnv, type OutboundPolicy } from "@/lib/security/outbound";
import { secretKeyFromEnv } from "@/lib/security/secrets";
import { KubeReader, KubeReadError, type KubeReaderOptions } from "./direct-client";
import { storedConnection } from "./direct-settings";
import { buildSnapshot, type KubeObjects, type PodObject } from "./snapshot";
import { reportSystemOom, reportTermination } from "./report";
import { systemOomOfEvent, terminationsOfPod, type EventLike, type PodLike } from "./terminations";

export interface DirectSyncResult {
  workloads: number;
  pods: number;
  nodes: number;
  terminations: number;
  /** terminations stored for the first time (the rest were read before) */
  stored: number;
  incidentsOpened: number;
  /** why the read failed (also kept on the cluster for its pages); null when it worked */
  error: string | null;
}

/** True when a cluster has a direct-mode connection stored. */
export const hasKubeConnection = (row: Pick<typeof clusters.$inferSelect, "kubeServerUrl" | "kubeCredentialEnc">) => Boolean(row.kubeServerUrl && row.kubeCredentialEnc);

/**
 * Direct mode: reads a cluster's Kubernetes API with its stored connection — workloads, pods, nodes
 * and the terminations in the pods' container statuses — and stores them through the same path as
 * an agent's batch (one snapshot, each termination once, incidents opened or joined). A failed read
 * is recorded on the cluster (kube_sync_error) and returned, not thrown: the next sync tries again.
 */
export async function syncKubeDirect(db: Db, q: { orgId: string; clusterId: string; now?: Date; policy?: OutboundPolicy; reader?: KubeReaderOptions }): Promise<DirectSyncResult | null> {
  const [row] = await db.select().from(clusters).where(and(eq(clusters.id, q.clusterId), eq(clusters.orgId, q.orgId)));
  if (!row || !hasKubeConnection(row)) return null;
  const now = q.now ?? new Date();
  const fail = async (error: string): Promise<DirectSyncResult> => {
    await db.update(clusters).set({ kubeSyncError: error.slice(0, 500) }).where(eq(clusters.id, row.id));
    return { workloads: 0, pods: 0, nodes: 0, terminations: 0, stored: 0, incidentsOpened: 0, error };
  };
  let key: Buffer | null = null;
  try {
    key = secretKeyFromEnv();
  } catch (e) {
    return fail(`the stored credential cannot be used: ${(e as Error).message}`);
  }
  const { connection, unreadable } = storedConnection(row, key);
  if (!connection) return fail(unreadable ? "the stored credential does not decrypt with HEADROOM_SECRET_KEY (was the key changed?): enter it again" : "no Kubernetes API connection stored");

  const reader = new KubeReader(connection, q.policy ?? policyFromEnv(), q.reader);
  let objects: KubeObjects;
  let events: EventLike[];
  try {
    // a few lists at a time: the API server's priority and fairness would throttle a burst anyway
    const [pods, replicaSets, deployments, statefulSets] = await Promise.all([reader.list<PodObject>("pods"), reader.list("replicasets"), reader.list("deployments"), reader.list("statefulsets")]);
    const [daemonSets, jobs, cronJobs, nodes] = await Promise.all([reader.list("daemonsets"), reader.list("jobs"), reader.list("cronjobs"), reader.list("nodes")]);
    objects = { pods, replicaSets, deployments, statefulSets, daemonSets, jobs, cronJobs, nodes } as KubeObjects;
    events = await reader.list<EventLike>("events");
  } catch (e) {
    if (e instanceof KubeReadError) return fail(e.message);
    throw e;
  }

  const snapshot = buildSnapshot(objects, { complete: true, namespaces: null });
  const workloadOf = new Map(snapshot.pods.map((p) => [p.uid, p]));
  const terminations: IngestTermination[] = [];
  for (const pod of objects.pods) {
    for (const t of terminationsOfPod(pod as PodLike)) {
      const owner = workloadOf.get(t.podUid);
      terminations.push(reportTermination(t, owner ? { kind: owner.workloadKind, name: owner.workloadName } : { kind: "Pod", name: t.pod }));
    }
  }
  // the kernel's OOM killer on a node (not a container's cgroup limit)
  for (const e of events) {
    const s = systemOomOfEvent(e);
    if (s) terminations.push(reportSystemOom(s, e.metadata?.namespace));
  }

  // the snapshot with the first terminations, then the rest in batches the ingest schema accepts
  const results: IngestResult[] = [];
  for (let i = 0; i === 0 || i < terminations.length; i += MAX_BATCH_TERMINATIONS) {
    const body = { terminations: terminations.slice(i, i + MAX_BATCH_TERMINATIONS), ...(i === 0 ? { snapshot } : {}) };
    results.push(await ingestBatch(db, { orgId: q.orgId, clusterId: row.id, body, raw: "", idempotencyKey: null, now }));
  }
  await db.update(clusters).set({ kubeSyncAt: now, kubeSyncError: null }).where(eq(clusters.id, row.id));
  return {
    workloads: snapshot.workloads.length,
    pods: snapshot.pods.length,
    nodes: snapshot.nodes.length,
    terminations: terminations.length,
    stored: results.reduce((s, r) => s + r.stored, 0),
    incidentsOpened: results.reduce((s, r) => s + r.incidentsOpened, 0),
    error: null,
  };
}
