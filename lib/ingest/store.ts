import "server-only";
import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { ingestBatches } from "@/db/schema";
import { syncIncidentsBatch } from "@/lib/inventory/store";
import { storeTerminations } from "./bulk";
import { storeSnapshot, type SnapshotResult } from "./inventory";
import { ingestBatchSchema } from "@/lib/schemas/ingest";

/** The same Idempotency-Key came back with another payload: answered 422, nothing stored. */
export class IdempotencyConflictError extends Error {}

export interface IngestResult {
  /** terminations stored for the first time */
  stored: number;
  /** terminations already stored (a resend, another agent replica) */
  duplicates: number;
  /** incidents opened by the OOMKills in this batch */
  incidentsOpened: number;
  /** true when this Idempotency-Key was seen before with the same payload: nothing was stored again */
  replayed?: boolean;
  /** what the batch's inventory snapshot stored, when it carried one */
  snapshot?: SnapshotResult;
}

const INCIDENT_WINDOW_SECONDS = 30 * 86_400;

/**
 * Stores an agent's batch for its cluster: each termination once (pod uid + container + finish
 * time), the workloads it names, and the incidents its OOMKills open or join. A batch with an
 * Idempotency-Key is stored once; the same key with another payload is refused.
 */
export async function ingestBatch(db: Db, q: { orgId: string; clusterId: string; body: unknown; raw: string; idempotencyKey: string | null; now: Date }): Promise<IngestResult> {
  const batch = ingestBatchSchema.parse(q.body);
  const payloadHash = crypto.createHash("sha256").update(q.raw).digest("hex");
  if (q.idempotencyKey) {
    const [seen] = await db.select().from(ingestBatches).where(and(eq(ingestBatches.clusterId, q.clusterId), eq(ingestBatches.key, q.idempotencyKey)));
    if (seen) {
      if (seen.payloadHash !== payloadHash) throw new IdempotencyConflictError(`Idempotency-Key ${q.idempotencyKey} was used for another payload`);
      return { ...(seen.result as IngestResult), replayed: true };
    }
  }
  const result: IngestResult = await db.transaction(async (tx) => {
    // the inventory first: the kills below find their containers' specs in place
    const snapshot = batch.snapshot ? await storeSnapshot(tx, { orgId: q.orgId, clusterId: q.clusterId, snapshot: batch.snapshot, now: q.now }) : undefined;
    // the workloads and containers the batch names (a node's SystemOOM names none), so that their pages exist before
    // any spec is known, and the terminations; the unique occurrence index drops what is already stored
    const rows = await storeTerminations(tx, {
      orgId: q.orgId, clusterId: q.clusterId,
      rows: batch.terminations.map((t) => ({
        workloadKind: t.workloadKind, workloadName: t.workloadName, namespace: t.namespace, podName: t.pod, podUid: t.podUid, containerName: t.container, containerKind: t.containerKind,
        reason: t.reason, exitCode: t.exitCode, finishedAt: t.finishedAt, restartCount: t.restartCount, node: t.node, message: t.message,
      })),
    });
    const stored = rows.length;
    const killed = new Map<string, { workloadId: string; container: string }>();
    for (const r of rows) if (r.reason === "OOMKilled" && r.workloadId) killed.set(`${r.workloadId}|${r.container}`, { workloadId: r.workloadId, container: r.container });
    // each container OOMKilled in this batch: its incidents brought in line with all of its kills of the last 30 days (read with
    // them), in the batch's transaction (a batch whose incidents fail stores nothing, so its resend is not taken for a duplicate)
    const nowSec = Math.floor(q.now.getTime() / 1000);
    const incidentsOpened = await syncIncidentsBatch(tx, { orgId: q.orgId, clusterId: q.clusterId, now: nowSec, killsSince: nowSec - INCIDENT_WINDOW_SECONDS, targets: [...killed.values()] });
    const out: IngestResult = { stored, duplicates: batch.terminations.length - stored, incidentsOpened, ...(snapshot ? { snapshot } : {}) };
    // the key with what it stored, committed with it
    if (q.idempotencyKey) await tx.insert(ingestBatches).values({ clusterId: q.clusterId, key: q.idempotencyKey, payloadHash, result: out }).onConflictDoNothing();
    return out;
  });
  return result;
}

