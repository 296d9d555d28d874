import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { containers, incidents, oomEvents } from "@/db/schema";
import { memorySpecOf, type MemorySpec, type SpecSource } from "@/lib/incidents/memory-spec";
import { writeSystemAudits } from "@/lib/incidents/system-audit";
import { groupIntoIncidents, INCIDENT_QUIET_SECONDS, type IncidentSpan } from "./incident-grouping";

export type IncidentStatus = (typeof incidents.$inferSelect)["status"];
type Executor = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/** One workload container's OOMKills (unix s) to bring its incidents in line with, and its analysis when there is one. */
export interface IncidentTarget {
  workloadId: string;
  container: string;
  /** its OOMKill times; without them, its stored kills since killsSince */
  kills?: number[];
  /** the engine's verdict on the container, shared by its incidents (undefined: none, the stored one stays) */
  analysis?: unknown;
}

interface SyncOptions {
  orgId: string;
  clusterId: string;
  now: number;
  /** status of a new incident (open spans are "open" unless told otherwise) */
  initialStatus?: (open: boolean, target: IncidentTarget) => IncidentStatus;
}

/**
 * syncIncidentsBatch for one container, its analysis computed only when it has kills. Returns how
 * many incidents it created.
 */
export async function syncIncidents(
  db: Executor,
  q: {
    orgId: string; clusterId: string; workloadId: string; container: string; kills: number[]; now: number;
    analyze?: () => Promise<unknown>;
    /** status of a new incident (open spans are "open" unless told otherwise) */
    initialStatus?: (open: boolean) => IncidentStatus;
  },
): Promise<number> {
  if (q.kills.length === 0) return 0;
  const analysis = q.analyze ? await q.analyze() : undefined;
  const initialStatus = q.initialStatus;
  return syncIncidentsBatch(db, {
    orgId: q.orgId, clusterId: q.clusterId, now: q.now,
    ...(initialStatus ? { initialStatus: (open: boolean) => initialStatus(open) } : {}),
    targets: [{ workloadId: q.workloadId, container: q.container, kills: q.kills, ...(analysis !== undefined ? { analysis } : {}) }],
  });
}

/** The stored incident fields the grouping decides on. */
interface Known {
  id: string;
  status: IncidentStatus;
  firstSeenAt: Date;
  lastSeenAt: Date;
  oomCount: number;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  resolution: string | null;
  fixAppliedAt: Date | null;
  specAtOpen: unknown;
}

type Changes = {
  oomCount?: number; lastSeenAt?: Date; analysis?: unknown; analyzedAt?: Date; pattern?: string | null; specAtOpen?: unknown;
  status?: IncidentStatus; resolvedAt?: Date | null; resolution?: string | null; acknowledgedAt?: Date | null;
};
type NewIncident = typeof incidents.$inferInsert & { id: string };

/**
 * Brings workload containers' incidents in line with their OOMKills: kills grouped by 7-day quiet
 * spans, one open incident per workload container, the analysis snapshot shared by its incidents, and
 * incidents nobody saw die for a week resolved. A new incident keeps the analysis and the memory spec
 * of its opening and links to the container's previous incident. What people decided stands: a
 * resolved incident stays resolved until a kill after its resolution, and an incident whose fix is
 * being verified is left to verifyFixes. However many containers, a constant number of statements
 * (reads of their incidents and specs, then set-based writes). Returns how many incidents it created.
 */
export async function syncIncidentsBatch(db: Executor, q: SyncOptions & { targets: IncidentTarget[]; killsSince?: number }): Promise<number> {
  const byKey = new Map<string, IncidentTarget>();
  for (const t of q.targets) {
    const key = `${t.workloadId}|${t.container}`;
    const seen = byKey.get(key);
    // the same container named twice: one target with all of its kills
    byKey.set(key, { ...seen, ...t, ...(t.kills || seen?.kills ? { kills: [...(seen?.kills ?? []), ...(t.kills ?? [])] } : {}) });
  }
  if (byKey.size === 0) return 0;
  const stored = await readTargets(db, { orgId: q.orgId, targets: [...byKey.values()], killsSince: q.killsSince });
  const work = [...byKey.values()]
    .map((t) => {
      const key = `${t.workloadId}|${t.container}`;
      const kills = t.kills ?? stored.get(key)?.kills ?? [];
      return { ...t, key, kills, spans: groupIntoIncidents(kills, q.now) };
    })
    .filter((t) => t.spans.length > 0);
  if (work.length === 0) return 0;

  const updates = new Map<string, Changes>();
  const update = (id: string, changes: Changes) => updates.set(id, { ...updates.get(id), ...changes });
  const inserts: NewIncident[] = [];
  const reopened: { id: string; to: IncidentStatus }[] = [];
  for (const t of work) {
    const read = stored.get(t.key) ?? stored.set(t.key, { incidents: [], spec: null, kills: [] }).get(t.key)!;
    const existing = read.incidents;
    const spec: MemorySpec | null = read.spec;
    const analysis = t.analysis;
    const killedAfter = (at: Date | null, span: IncidentSpan) =>
      at !== null && t.kills.some((k) => k > at.getTime() / 1000 && k >= span.firstSeenAt && k <= span.lastSeenAt);
    for (const span of t.spans) {
      const first = new Date(span.firstSeenAt * 1000);
      // the same incident when its kills would have been grouped together (within a quiet week), even
      // after the read window has dropped its first kills (a later sync) or it has grown since
      const match = existing.find(
        (e) =>
          (e.firstSeenAt.getTime() / 1000 <= span.lastSeenAt && span.firstSeenAt <= e.lastSeenAt.getTime() / 1000 + INCIDENT_QUIET_SECONDS) ||
          (e.status !== "resolved" && span.status !== "resolved"),
      );
      const open = span.status === "open";
      const status: IncidentStatus = q.initialStatus ? q.initialStatus(open, t) : open ? "open" : "resolved";
      // a window that starts after the incident did sees only part of it: count on from what was stored
      const truncated = match !== undefined && match.firstSeenAt.getTime() < first.getTime() - 1000;
      const lastStored = match ? match.lastSeenAt.getTime() / 1000 : 0;
      const oomCount = truncated ? match.oomCount + t.kills.filter((k) => k > lastStored && k >= span.firstSeenAt && k <= span.lastSeenAt).length : span.oomCount;
      const counts: Changes = {
        oomCount,
        lastSeenAt: new Date(Math.max(span.lastSeenAt, lastStored) * 1000),
        ...(analysis !== undefined ? { analysis, analyzedAt: new Date(q.now * 1000), pattern: patternOf(analysis) } : {}),
      };
      const decided = match?.status === "resolved" && (match.resolution === "manual" || match.resolution === "fix_verified");
      if (match && decided && !killedAfter(match.resolvedAt, span)) {
        // resolved by a person (or a verified fix) and not killed since: it stays resolved
        update(match.id, counts);
        continue;
      }
      if (match && match.status !== "resolved" && match.fixAppliedAt && !killedAfter(match.fixAppliedAt, span)) {
        // a fix is being verified: verifyFixes resolves it after a quiet week on the new spec
        update(match.id, { ...counts, specAtOpen: match.specAtOpen ?? spec });
        continue;
      }
      const next: IncidentStatus = match && match.status !== "resolved" && open ? match.status : status;
      const values = {
        ...counts,
        status: next,
        resolvedAt: span.resolvedAt ? new Date(span.resolvedAt * 1000) : null,
        resolution: next === "resolved" ? "quiet" : null,
        // an acknowledgement stands as it was made; a new incident acknowledged by the demo is dated just after its last kill
        acknowledgedAt: match && match.status === next ? match.acknowledgedAt : next === "acknowledged" ? new Date((span.lastSeenAt - 600) * 1000) : null,
      };
      if (match) {
        update(match.id, { ...values, ...(next !== "resolved" && !match.specAtOpen && spec ? { specAtOpen: spec } : {}) });
        if (decided) reopened.push({ id: match.id, to: next });
      } else {
        // the latest earlier incident of this container, if it repeats one
        const previous = existing.filter((e) => e.firstSeenAt.getTime() < first.getTime()).sort((a, b) => b.firstSeenAt.getTime() - a.firstSeenAt.getTime())[0];
        const row: NewIncident = {
          id: randomUUID(), orgId: q.orgId, clusterId: q.clusterId, workloadId: t.workloadId, containerName: t.container, firstSeenAt: first,
          ...values, oomCount: values.oomCount!, lastSeenAt: values.lastSeenAt!,
          firstAnalysis: analysis ?? null, specAtOpen: spec, previousIncidentId: previous?.id ?? null,
        };
        inserts.push(row);
        existing.push({
          id: row.id, status: values.status, firstSeenAt: first, lastSeenAt: values.lastSeenAt!, oomCount: values.oomCount!, acknowledgedAt: values.acknowledgedAt,
          resolvedAt: values.resolvedAt, resolution: values.resolution, fixAppliedAt: null, specAtOpen: spec,
        });
      }
    }
  }

  // an incident open in an earlier run that no span keeps open any more is resolved, unless its fix is being verified
  const cut = (q.now - INCIDENT_QUIET_SECONDS) * 1000;
  const insertedIds = new Set(inserts.map((r) => r.id));
  for (const t of work) {
    for (const e of stored.get(t.key)!.incidents) {
      if (insertedIds.has(e.id)) continue;
      const u = updates.get(e.id);
      const lastSeenAt = u?.lastSeenAt ?? e.lastSeenAt;
      if ((u?.status ?? e.status) === "resolved" || lastSeenAt.getTime() >= cut || (e.fixAppliedAt && lastSeenAt <= e.fixAppliedAt)) continue;
      update(e.id, { status: "resolved", resolution: "quiet", resolvedAt: (u && "resolvedAt" in u ? u.resolvedAt : e.resolvedAt) ?? new Date() });
    }
  }
  for (const row of inserts) {
    if (row.status !== "resolved" && row.lastSeenAt.getTime() < cut) Object.assign(row, { status: "resolved", resolution: "quiet", resolvedAt: row.resolvedAt ?? new Date() });
  }
  // updates before inserts: an incident a span resolves is resolved before another of its container opens
  await updateIncidents(db, q.orgId, updates);
  for (let i = 0; i < inserts.length; i += 500) await db.insert(incidents).values(inserts.slice(i, i + 500));
  await writeSystemAudits(db, reopened.map((r) => ({ orgId: q.orgId, action: "incident.reopened", incidentId: r.id, data: { from: "resolved", to: r.to, reason: "OOMKilled again" } })));
  return inserts.length;
}

// each incident's changes as one jsonb document: a column changes only when its key is present
const COLUMNS: [key: keyof Changes, column: string, read: string][] = [
  ["oomCount", "oom_count", "(d.doc->>'oomCount')::integer"],
  ["lastSeenAt", "last_seen_at", "(d.doc->>'lastSeenAt')::timestamptz"],
  ["analysis", "analysis", "nullif(d.doc->'analysis', 'null'::jsonb)"],
  ["analyzedAt", "analyzed_at", "(d.doc->>'analyzedAt')::timestamptz"],
  ["pattern", "pattern", "d.doc->>'pattern'"],
  ["specAtOpen", "spec_at_open", "nullif(d.doc->'specAtOpen', 'null'::jsonb)"],
  ["status", "status", "(d.doc->>'status')::incident_status"],
  ["resolvedAt", "resolved_at", "(d.doc->>'resolvedAt')::timestamptz"],
  ["resolution", "resolution", "d.doc->>'resolution'"],
  ["acknowledgedAt", "acknowledged_at", "(d.doc->>'acknowledgedAt')::timestamptz"],
];
const SET = sql.raw(COLUMNS.map(([key, column, read]) => `${column} = case when d.doc ? '${key}' then ${read} else i.${column} end`).join(",\n  "));

/** Applies each incident's changes, a thousand incidents per statement, in id order (concurrent batches lock alike). */
async function updateIncidents(db: Executor, orgId: string, updates: Map<string, Changes>) {
  const rows = [...updates].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, doc]) => ({ id, doc }));
  for (let i = 0; i < rows.length; i += 1000) {
    await db.execute(sql`
      update ${incidents} i set ${SET}
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 1000))}::jsonb) as d(id uuid, doc jsonb)
      where i.id = d.id and i.org_id = ${orgId}::uuid`);
  }
}

/**
 * One statement for every target: its incidents (oldest first), its container's memory spec, and with
 * killsSince its stored OOMKills since then (unix s).
 */
async function readTargets(db: Executor, q: { orgId: string; targets: IncidentTarget[]; killsSince: number | undefined }) {
  const pairs = JSON.stringify(q.targets.map((t) => ({ w: t.workloadId, c: t.container })));
  const ms = (col: string) => sql.raw(`(extract(epoch from ${col}) * 1000)::float8`);
  const { rows } = await db.execute<{ w: string; c: string; spec: SpecSource | null; incidents: Record<string, unknown>[]; kills: number[] | null }>(sql`
    select p.w, p.c,
      (select jsonb_build_object('name', c.name, 'image', c.image, 'command', c.command, 'args', c.args, 'env', c.env, 'requestBytes', c.request_bytes, 'limitBytes', c.limit_bytes)
        from ${containers} c where c.org_id = ${q.orgId}::uuid and c.workload_id = p.w and c.name = p.c) as spec,
      (select coalesce(jsonb_agg(jsonb_build_object(
          'id', i.id, 'status', i.status, 'firstSeenAt', ${ms("i.first_seen_at")}, 'lastSeenAt', ${ms("i.last_seen_at")}, 'oomCount', i.oom_count,
          'acknowledgedAt', ${ms("i.acknowledged_at")}, 'resolvedAt', ${ms("i.resolved_at")}, 'resolution', i.resolution,
          'fixAppliedAt', ${ms("i.fix_applied_at")}, 'specAtOpen', i.spec_at_open) order by i.created_at, i.id), '[]'::jsonb)
        from ${incidents} i where i.org_id = ${q.orgId}::uuid and i.workload_id = p.w and i.container_name = p.c) as incidents,
      ${q.killsSince === undefined ? sql`null::float8[]` : sql`(select coalesce(array_agg(floor(extract(epoch from e.finished_at))::float8), '{}')
        from ${oomEvents} e where e.org_id = ${q.orgId}::uuid and e.workload_id = p.w and e.container_name = p.c and e.reason = 'OOMKilled'
          and e.finished_at >= ${new Date(q.killsSince * 1000).toISOString()}::timestamptz)`} as kills
    from jsonb_to_recordset(${pairs}::jsonb) as p(w uuid, c text)`);
  const date = (v: unknown) => (typeof v === "number" ? new Date(v) : null);
  return new Map(rows.map((r) => [`${r.w}|${r.c}`, {
    spec: memorySpecOf(r.spec),
    kills: (r.kills ?? []).map(Number).sort((a, b) => a - b),
    incidents: r.incidents.map((i): Known => ({
      id: i.id as string, status: i.status as IncidentStatus, firstSeenAt: date(i.firstSeenAt)!, lastSeenAt: date(i.lastSeenAt)!, oomCount: i.oomCount as number,
      acknowledgedAt: date(i.acknowledgedAt), resolvedAt: date(i.resolvedAt), resolution: (i.resolution as string | null) ?? null, fixAppliedAt: date(i.fixAppliedAt), specAtOpen: i.specAtOpen ?? null,
    })),
  }]));
}

const patternOf = (a: unknown) =>
  a && typeof a === "object" && "pattern" in a && typeof (a as { pattern: unknown }).pattern === "string" ? (a as { pattern: string }).pattern : null;
