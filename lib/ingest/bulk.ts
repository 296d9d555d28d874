import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/connect";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

/** At most this many rows per statement. */
export const CHUNK = 1000;
export const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));
export const workloadKey = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;

// Rows travel as one jsonb parameter read by jsonb_to_recordset: a thousand rows are one value to
// encode and parse instead of fourteen thousand bind parameters (about twice as fast end to end).
const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

/**
 * The ids of the named workloads of a cluster, creating the ones not stored yet, without rewriting
 * those that are (a batch of kills for known workloads writes no workload row). Keys: workloadKey.
 */
export async function workloadIdsFor(db: Executor, q: { orgId: string; clusterId: string; workloads: { namespace: string; kind: string; name: string }[] }): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const part of chunks(q.workloads)) {
    const { rows } = await db.execute<{ id: string; namespace: string; kind: string; name: string }>(sql`
      with wanted as (select distinct * from jsonb_to_recordset(${json(part)}) as w(namespace text, kind text, name text)),
      ins as (
        insert into workloads (org_id, cluster_id, namespace, kind, name)
        select ${q.orgId}::uuid, ${q.clusterId}::uuid, namespace, kind, name from wanted
        on conflict do nothing
        returning id, namespace, kind, name)
      select id, namespace, kind, name from ins
      union all
      select w.id, w.namespace, w.kind, w.name from workloads w join wanted using (namespace, kind, name) where w.cluster_id = ${q.clusterId}::uuid and w.org_id = ${q.orgId}::uuid`);
    for (const r of rows) ids.set(workloadKey(r.namespace, r.kind, r.name), r.id);
  }
  return ids;
}

export interface TerminationRow {
  workloadId: string | null;
  namespace: string;
  podName: string;
  podUid: string;
  containerName: string;
  containerKind: string;
  reason: string;
  exitCode: number | null;
  finishedAt: string;
  restartCount: number;
  node: string | null;
  message: string | null;
}

/** A termination as ingest stores it: under the workload it names (created when new), or none (a node's SystemOOM). */
export interface NamedTerminationRow extends Omit<TerminationRow, "workloadId"> {
  workloadKind: string | null;
  workloadName: string | null;
}

/**
 * Stores terminations once per occurrence in one statement per thousand: the workloads they name found
 * or created, the containers they name created when not stored yet (their spec unknown until an
 * inventory reads it), then the terminations; returns the ones stored now.
 */
export async function storeTerminations(db: Executor, q: { orgId: string; clusterId: string; rows: NamedTerminationRow[] }): Promise<{ workloadId: string | null; container: string; reason: string }[]> {
  const out: { workloadId: string | null; container: string; reason: string }[] = [];
  for (const part of chunks(q.rows)) {
    const { rows } = await db.execute<{ workload_id: string | null; container_name: string; reason: string }>(sql`
      with t as (
        select * from jsonb_to_recordset(${json(part)}) as t(namespace text, "workloadKind" text, "workloadName" text, "podName" text, "podUid" text, "containerName" text,
          "containerKind" text, reason text, "exitCode" integer, "finishedAt" timestamptz, "restartCount" integer, node text, message text)),
      wanted as (select distinct namespace, "workloadKind" as kind, "workloadName" as name from t where "workloadKind" is not null and "workloadName" is not null),
      ins as (
        insert into workloads (org_id, cluster_id, namespace, kind, name)
        select ${q.orgId}::uuid, ${q.clusterId}::uuid, namespace, kind, name from wanted
        on conflict do nothing
        returning id, namespace, kind, name),
      ids as (
        select id, namespace, kind, name from ins
        union all
        select w.id, w.namespace, w.kind, w.name from workloads w join wanted using (namespace, kind, name) where w.cluster_id = ${q.clusterId}::uuid and w.org_id = ${q.orgId}::uuid),
      named as (select t.*, ids.id as "workloadId" from t left join ids on ids.namespace = t.namespace and ids.kind = t."workloadKind" and ids.name = t."workloadName"),
      c as (
        insert into containers (org_id, workload_id, name, kind)
        select distinct on ("workloadId", "containerName") ${q.orgId}::uuid, "workloadId", "containerName", "containerKind" from named
        where "workloadId" is not null and "containerName" <> ''
        on conflict do nothing)
      insert into oom_events (org_id, cluster_id, workload_id, namespace, pod_name, pod_uid, container_name, container_kind, reason, exit_code, finished_at, restart_count, node, message)
      select ${q.orgId}::uuid, ${q.clusterId}::uuid, "workloadId", namespace, "podName", "podUid", "containerName", "containerKind", reason, "exitCode", "finishedAt", "restartCount", node, message
      from named
      on conflict do nothing
      returning workload_id, container_name, reason`);
    for (const r of rows) out.push({ workloadId: r.workload_id, container: r.container_name, reason: r.reason });
  }
  return out;
}

export interface PodRow {
  workloadId: string;
  uid: string;
  namespace: string;
  name: string;
  node: string | null;
  phase: string;
  startedAt: string | null;
}

/** Upserts pods by (cluster, uid), writing a row only when something in it changed. */
export async function upsertPods(db: Executor, q: { orgId: string; clusterId: string; rows: PodRow[]; now: Date }): Promise<void> {
  for (const part of chunks(q.rows)) {
    await db.execute(sql`
      insert into pods (org_id, cluster_id, workload_id, uid, namespace, name, node, phase, started_at, updated_at)
      select ${q.orgId}::uuid, ${q.clusterId}::uuid, "workloadId", uid, namespace, name, node, phase, "startedAt", ${q.now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json(part)}) as p("workloadId" uuid, uid text, namespace text, name text, node text, phase text, "startedAt" timestamptz)
      on conflict (cluster_id, uid) do update set
        workload_id = excluded.workload_id, namespace = excluded.namespace, name = excluded.name, node = excluded.node,
        phase = excluded.phase, started_at = excluded.started_at, updated_at = excluded.updated_at
      where (pods.workload_id, pods.namespace, pods.name, pods.node, pods.phase, pods.started_at)
        is distinct from (excluded.workload_id, excluded.namespace, excluded.name, excluded.node, excluded.phase, excluded.started_at)`);
  }
}
