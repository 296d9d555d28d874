import "server-only";
import crypto from "node:crypto";
import { and, eq, gte } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { ingestBatches, oomEvents, workloads } from "@/db/schema";
import { syncIncidents } from "@/lib/inventory/store";
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
  const killsByContainer = new Map<string, { workloadId: string; container: string }>();
  const result = await db.transaction(async (tx) => {
    const workloadIds = new Map<string, string>();
    let stored = 0;
    for (const t of batch.terminations) {
      const wkey = `${t.namespace}/${t.workloadKind}/${t.workloadName}`;
      let workloadId = workloadIds.get(wkey);
      if (!workloadId) {
        const [w] = await tx
          .insert(workloads)
          .values({ orgId: q.orgId, clusterId: q.clusterId, namespace: t.namespace, kind: t.workloadKind, name: t.workloadName })
          .onConflictDoUpdate({ target: [workloads.clusterId, workloads.namespace, workloads.kind, workloads.name], set: { updatedAt: q.now } })
          .returning({ id: workloads.id });
        workloadId = w!.id;
        workloadIds.set(wkey, workloadId);
      }
      const inserted = await tx
        .insert(oomEvents)
        .values({
          orgId: q.orgId, clusterId: q.clusterId, workloadId, namespace: t.namespace, podName: t.pod, podUid: t.podUid, containerName: t.container,
          containerKind: t.containerKind, reason: t.reason, exitCode: t.exitCode, finishedAt: new Date(t.finishedAt), restartCount: t.restartCount, node: t.node, message: t.message,
        })
        .onConflictDoNothing()
        .returning({ id: oomEvents.id });
      if (inserted.length) {
        stored++;
        if (t.reason === "OOMKilled") killsByContainer.set(`${workloadId}|${t.container}`, { workloadId, container: t.container });
      }
    }
    return { stored, duplicates: batch.terminations.length - stored };
  });
  // each container that was OOMKilled: its incidents brought in line with all of its kills of the last 30 days
  let incidentsOpened = 0;
  const nowSec = Math.floor(q.now.getTime() / 1000);
  for (const { workloadId, container } of killsByContainer.values()) {
    const rows = await db
      .select({ at: oomEvents.finishedAt })
      .from(oomEvents)
      .where(and(eq(oomEvents.orgId, q.orgId), eq(oomEvents.workloadId, workloadId), eq(oomEvents.containerName, container), eq(oomEvents.reason, "OOMKilled"), gte(oomEvents.finishedAt, new Date((nowSec - INCIDENT_WINDOW_SECONDS) * 1000))));
    incidentsOpened += await syncIncidents(db, { orgId: q.orgId, clusterId: q.clusterId, workloadId, container, kills: rows.map((r) => Math.floor(r.at.getTime() / 1000)).sort((a, b) => a - b), now: nowSec });
  }
  const out: IngestResult = { ...result, incidentsOpened };
  if (q.idempotencyKey) await db.insert(ingestBatches).values({ clusterId: q.clusterId, key: q.idempotencyKey, payloadHash, result: out }).onConflictDoNothing();
  return out;
}
