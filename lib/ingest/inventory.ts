import "server-only";
import { and, eq, inArray, like, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { chunks, upsertPods, workloadIdsFor, workloadKey, type Executor } from "./bulk";
import { clusters, containers, incidents, ingestBatches, nodes, oomEvents, pods, workloads } from "@/db/schema";
import type { IngestSnapshot } from "@/lib/schemas/ingest";


export interface SnapshotResult {
  workloads: number;
  containers: number;
  pods: number;
  nodes: number;
  /** pods and nodes a complete snapshot no longer shows (or the changes say were deleted), removed */
  podsRemoved: number;
  nodesRemoved: number;
  /** a part of a chunked relist: how many of its parts have arrived, and whether this one completed it (its removals applied) */
  chunk?: { id: string; index: number; count: number; received: number; applied: boolean };
}

const wkey = workloadKey;
// an upsert writes a row only when something in it changed: a relist of an unchanged cluster writes nothing
const changed = (table: string, cols: string[]) => sql.raw(cols.map((c) => `${table}.${c} is distinct from excluded.${c}`).join(" or "));
const excluded = (cols: Record<string, string>) => Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, sql.raw(`excluded.${c}`)]));

/**
 * Stores what the Kubernetes API shows of a cluster (an agent's snapshot or a direct read): workloads
 * with replicas, their containers' specs (image, command, args, env, memory, kind, memory-backed
 * volumes), pods under their workloads, nodes — each in statements of at most a thousand rows. A
 * complete snapshot also removes the pods (in its namespaces) and nodes it no longer shows, and the
 * containers and workloads gone from the API that have no kills or incidents (those are kept as
 * history). Sets the cluster's kube_sync_at.
 */
export async function storeSnapshot(db: Executor, q: { orgId: string; clusterId: string; snapshot: IngestSnapshot; now: Date }): Promise<SnapshotResult> {
  const { snapshot: s, now } = q;
  const result: SnapshotResult = { workloads: 0, containers: 0, pods: 0, nodes: 0, podsRemoved: 0, nodesRemoved: 0 };
  const ids = new Map<string, string>();

  // workloads the snapshot describes: replicas and labels from the API, each row written only when one of them changed
  // (labels absent: the workload's object was not read, its stored labels stand)
  for (const part of chunks(s.workloads)) {
    const { rows } = await db.execute<{ id: string; namespace: string; kind: string; name: string }>(sql`
      with w as (
        select distinct on (namespace, kind, name) * from jsonb_to_recordset(${JSON.stringify(part.map((w) => ({ namespace: w.namespace, kind: w.kind, name: w.name, replicas: w.replicas, labels: w.labels ?? null })))}::jsonb)
          as w(namespace text, kind text, name text, replicas integer, labels jsonb)),
      up as (
        insert into ${workloads} as x (org_id, cluster_id, namespace, kind, name, replicas, labels, updated_at)
        select ${q.orgId}::uuid, ${q.clusterId}::uuid, namespace, kind, name, replicas, labels, ${now.toISOString()}::timestamptz from w
        on conflict (cluster_id, namespace, kind, name) do update set
          replicas = excluded.replicas, labels = coalesce(excluded.labels, x.labels), updated_at = excluded.updated_at
        where x.replicas is distinct from excluded.replicas or (excluded.labels is not null and x.labels is distinct from excluded.labels)
        returning id, namespace, kind, name)
      select id, namespace, kind, name from up
      union all
      select x.id, x.namespace, x.kind, x.name from ${workloads} x join w using (namespace, kind, name) where x.cluster_id = ${q.clusterId}::uuid and x.org_id = ${q.orgId}::uuid`);
    for (const r of rows) ids.set(wkey(r.namespace, r.kind, r.name), r.id);
  }
  result.workloads = s.workloads.length;
  // workloads only named by a pod (a change whose workload came in an earlier snapshot): found or created, not altered
  const named = new Map<string, { namespace: string; kind: string; name: string }>();
  for (const p of s.pods) {
    const k = wkey(p.namespace, p.workloadKind, p.workloadName);
    if (!ids.has(k)) named.set(k, { namespace: p.namespace, kind: p.workloadKind, name: p.workloadName });
  }
  if (named.size) for (const [k, id] of await workloadIdsFor(db, { orgId: q.orgId, clusterId: q.clusterId, workloads: [...named.values()] })) ids.set(k, id);

  // containers: the spec the engine's findings read
  const containerRows = s.workloads.flatMap((w) => {
    const workloadId = ids.get(wkey(w.namespace, w.kind, w.name))!;
    return w.containers.map((c) => ({
      orgId: q.orgId, workloadId, name: c.name, kind: c.kind, image: c.image, command: c.command, args: c.args, env: c.env,
      requestBytes: c.requestBytes, limitBytes: c.limitBytes, memoryVolumes: c.memoryVolumes.length ? c.memoryVolumes : null, updatedAt: now,
    }));
  });
  const containerCols = { kind: "kind", image: "image", command: "command", args: "args", env: "env", requestBytes: "request_bytes", limitBytes: "limit_bytes", memoryVolumes: "memory_volumes" };
  for (const part of chunks(containerRows)) {
    await db
      .insert(containers)
      .values(part)
      .onConflictDoUpdate({ target: [containers.workloadId, containers.name], set: { ...excluded(containerCols), updatedAt: now }, setWhere: changed("containers", Object.values(containerCols)) });
  }
  result.containers = containerRows.length;

  // pods under their workloads
  await upsertPods(db, {
    orgId: q.orgId, clusterId: q.clusterId, now,
    rows: s.pods.map((p) => ({ workloadId: ids.get(wkey(p.namespace, p.workloadKind, p.workloadName))!, uid: p.uid, namespace: p.namespace, name: p.name, node: p.node, phase: p.phase, startedAt: p.startedAt })),
  });
  result.pods = s.pods.length;

  const nodeCols = { allocatableMemoryBytes: "allocatable_memory_bytes", capacityMemoryBytes: "capacity_memory_bytes", memoryPressure: "memory_pressure", instanceType: "instance_type" };
  for (const part of chunks(s.nodes)) {
    await db
      .insert(nodes)
      .values(part.map((n) => ({ orgId: q.orgId, clusterId: q.clusterId, ...n, updatedAt: now })))
      .onConflictDoUpdate({ target: [nodes.clusterId, nodes.name], set: { ...excluded(nodeCols), updatedAt: now }, setWhere: changed("nodes", Object.values(nodeCols)) });
  }
  result.nodes = s.nodes.length;

  const inCluster = and(eq(pods.orgId, q.orgId), eq(pods.clusterId, q.clusterId))!;
  for (const part of chunks(s.removedPods)) {
    result.podsRemoved += (await db.delete(pods).where(and(inCluster, inArray(pods.uid, part))).returning({ id: pods.id })).length;
  }
  // a complete relist removes what it no longer shows: at once, or when the last of its parts has arrived
  const seen = !s.complete ? null : s.chunk ? await recordChunk(db, q, s, result) : seenIn(s);
  if (seen) {
    result.podsRemoved += await removeAbsent(db, q, seen);
    if (seen.nodes.length) {
      // an agent that may not list nodes sends none: only a snapshot that shows nodes says which are gone
      result.nodesRemoved = (await db.delete(nodes).where(and(eq(nodes.orgId, q.orgId), eq(nodes.clusterId, q.clusterId), notIn(nodes.name, seen.nodes))).returning({ id: nodes.id })).length;
    }
  }
  await db.update(clusters).set({ kubeSyncAt: now, kubeSyncError: null }).where(and(eq(clusters.id, q.clusterId), eq(clusters.orgId, q.orgId)));
  return result;
}

/** `col` is none of `values` (one array parameter, however many values). */
const notIn = (col: AnyPgColumn, values: string[]) =>
  values.length ? sql`not (${col} = any(${sql.param(values)}::text[]))` : sql`true`;

/** What a complete relist showed, which is all its removals need: the whole of it, or the union of its parts. */
interface Seen {
  namespaces: string[] | null;
  podUids: string[];
  /** workloads the API described, with their containers' names */
  described: Record<string, string[]>;
  /** workloads only named by a pod (their object not listed) */
  named: string[];
  nodes: string[];
}

const seenIn = (s: IngestSnapshot): Seen => ({
  namespaces: s.namespaces,
  podUids: s.pods.map((p) => p.uid),
  described: Object.fromEntries(s.workloads.map((w) => [wkey(w.namespace, w.kind, w.name), w.containers.map((c) => c.name)])),
  named: [...new Set(s.pods.map((p) => wkey(p.namespace, p.workloadKind, p.workloadName)))],
  nodes: s.nodes.map((n) => n.name),
});

// a relist's parts are kept beside the batches' idempotency keys, under keys no agent can send (a header has no spaces)
const CHUNK_KEY = "snapshot-chunk ";

/**
 * Records a part of a chunked relist and returns what the whole relist showed once its last part has
 * arrived (null before). The cluster's parts are taken one transaction at a time, so the last part
 * sees every earlier one. A relist whose parts do not all arrive removes nothing; the next relist to
 * complete clears them.
 */
async function recordChunk(db: Executor, q: { orgId: string; clusterId: string }, s: IngestSnapshot, result: SnapshotResult): Promise<Seen | null> {
  const chunk = s.chunk!;
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`snapshot-chunks/${q.clusterId}`}, 0))`);
  await db
    .insert(ingestBatches)
    .values({ clusterId: q.clusterId, key: `${CHUNK_KEY}${chunk.id} ${chunk.index}`, payloadHash: "", result: { count: chunk.count, ...seenIn(s) } })
    .onConflictDoUpdate({ target: [ingestBatches.clusterId, ingestBatches.key], set: { result: sql.raw("excluded.result") } });
  const parts = await db
    .select({ result: ingestBatches.result })
    .from(ingestBatches)
    .where(and(eq(ingestBatches.clusterId, q.clusterId), like(ingestBatches.key, `${CHUNK_KEY}${chunk.id} %`)));
  const applied = parts.length >= chunk.count;
  result.chunk = { ...chunk, received: parts.length, applied };
  if (!applied) return null;
  const seen: Seen = { namespaces: s.namespaces, podUids: [], described: {}, named: [], nodes: [] };
  for (const { result: r } of parts) {
    const p = r as Seen;
    seen.podUids.push(...p.podUids);
    Object.assign(seen.described, p.described);
    seen.named.push(...p.named);
    seen.nodes.push(...p.nodes);
  }
  await db.delete(ingestBatches).where(and(eq(ingestBatches.clusterId, q.clusterId), like(ingestBatches.key, `${CHUNK_KEY}%`)));
  return seen;
}

/** A complete relist's removals in its namespaces: pods it does not show; containers and workloads gone from the API that have no history. */
async function removeAbsent(db: Executor, q: { orgId: string; clusterId: string }, s: Seen): Promise<number> {
  const scope = (col: AnyPgColumn) => (s.namespaces ? inArray(col, s.namespaces) : sql`true`);
  const removed = await db
    .delete(pods)
    .where(and(eq(pods.orgId, q.orgId), eq(pods.clusterId, q.clusterId), scope(pods.namespace), notIn(pods.uid, s.podUids)))
    .returning({ id: pods.id });
  // kills and incidents are history: a workload or container that has any is kept after it is gone from the API
  const hasHistory = (workloadId: SQL, container: SQL | null) => sql`(
    exists (select 1 from ${oomEvents} e where e.workload_id = ${workloadId} ${container ? sql`and e.container_name = ${container}` : sql``})
    or exists (select 1 from ${incidents} i where i.workload_id = ${workloadId} ${container ? sql`and i.container_name = ${container}` : sql``}))`;
  const present = [...new Set([...Object.keys(s.described), ...s.named])];
  // only workloads the API described (not ones merely named by kills or by a Prometheus read) lose containers
  const described = new Map(Object.entries(s.described));
  if (described.size) {
    await db.execute(sql`
      delete from ${containers} c using ${workloads} w, jsonb_each(${JSON.stringify(Object.fromEntries(described))}::jsonb) d
      where w.id = c.workload_id and w.org_id = ${q.orgId} and w.cluster_id = ${q.clusterId} and c.org_id = ${q.orgId}
        and d.key = w.namespace || '/' || w.kind || '/' || w.name
        and not (d.value ? c.name)
        and not ${hasHistory(sql`c.workload_id`, sql`c.name`)}`);
  }
  await db
    .delete(workloads)
    .where(and(
      eq(workloads.orgId, q.orgId), eq(workloads.clusterId, q.clusterId), scope(workloads.namespace),
      sql`not ((${workloads.namespace} || '/' || ${workloads.kind} || '/' || ${workloads.name}) = any(${sql.param(present)}::text[]))`,
      // drizzle writes a delete's columns unqualified: the subqueries name the outer row themselves
      sql`not ${hasHistory(sql.raw("workloads.id"), null)}`,
    ));
  return removed.length;
}
