import { randomUUID } from "node:crypto";
import { and, eq, ne, or, isNull, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/connect";
import { containers, incidents } from "@/db/schema";
import { memorySpecOf, type MemorySpec } from "@/lib/incidents/memory-spec";
import { writeSystemAudits } from "@/lib/incidents/system-audit";
import { groupIntoIncidents, INCIDENT_QUIET_SECONDS, type IncidentSpan } from "./incident-grouping";

export type IncidentStatus = (typeof incidents.$inferSelect)["status"];
type Executor = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];

/** One workload container's OOMKills (unix s) to bring its incidents in line with, and its analysis when there is one. */
export interface IncidentTarget {
  workloadId: string;
  container: string;
  kills: number[];
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
export async function syncIncidentsBatch(db: Executor, q: SyncOptions & { targets: IncidentTarget[] }): Promise<number> {
  const byKey = new Map<string, IncidentTarget & { spans: IncidentSpan[] }>();
  for (const t of q.targets) {
    const key = `${t.workloadId}|${t.container}`;
    const seen = byKey.get(key);
    // the same container named twice: one target with all of its kills
    const kills = seen ? [...seen.kills, ...t.kills] : t.kills;
    byKey.set(key, { ...seen, ...t, kills, spans: [] });
  }
  for (const t of byKey.values()) t.spans = groupIntoIncidents(t.kills, q.now);
  const work = [...byKey.values()].filter((t) => t.spans.length > 0);
  if (work.length === 0) return 0;

  const pairs = sql`(select w, c from jsonb_to_recordset(${JSON.stringify(work.map((t) => ({ w: t.workloadId, c: t.container })))}::jsonb) as p(w uuid, c text))`;
  const ofTargets = (workloadCol: AnyPgColumn, nameCol: AnyPgColumn) => sql`(${workloadCol}, ${nameCol}) in ${pairs}`;
  const existingRows = await db
    .select({
      id: incidents.id, workloadId: incidents.workloadId, containerName: incidents.containerName, status: incidents.status, firstSeenAt: incidents.firstSeenAt,
      lastSeenAt: incidents.lastSeenAt, oomCount: incidents.oomCount, acknowledgedAt: incidents.acknowledgedAt, resolvedAt: incidents.resolvedAt,
      resolution: incidents.resolution, fixAppliedAt: incidents.fixAppliedAt, specAtOpen: incidents.specAtOpen,
    })
    .from(incidents)
    .where(and(eq(incidents.orgId, q.orgId), ofTargets(incidents.workloadId, incidents.containerName)))
    .orderBy(incidents.createdAt, incidents.id);
  const containerRows = await db
    .select()
    .from(containers)
    .where(and(eq(containers.orgId, q.orgId), ofTargets(containers.workloadId, containers.name)));
  const existingOf = new Map<string, Known[]>();
  for (const r of existingRows) (existingOf.get(`${r.workloadId}|${r.containerName}`) ?? existingOf.set(`${r.workloadId}|${r.containerName}`, []).get(`${r.workloadId}|${r.containerName}`)!).push(r);
  const specOf = new Map(containerRows.map((c) => [`${c.workloadId}|${c.name}`, memorySpecOf(c)]));

  const updates = new Map<string, Changes>();
  const update = (id: string, changes: Changes) => updates.set(id, { ...updates.get(id), ...changes });
  const inserts: NewIncident[] = [];
  const reopened: { id: string; to: IncidentStatus }[] = [];
  for (const t of work) {
    const key = `${t.workloadId}|${t.container}`;
    const existing = existingOf.get(key) ?? [];
    const spec: MemorySpec | null = specOf.get(key) ?? null;
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

  // updates before inserts: an incident a span resolves is resolved before another of its container opens
  await updateIncidents(db, q.orgId, updates);
  for (let i = 0; i < inserts.length; i += 500) await db.insert(incidents).values(inserts.slice(i, i + 500));
  await writeSystemAudits(db, reopened.map((r) => ({ orgId: q.orgId, action: "incident.reopened", incidentId: r.id, data: { from: "resolved", to: r.to, reason: "OOMKilled again" } })));
  // an incident open in an earlier run that no span keeps open any more is resolved, unless its fix is being verified
  await db
    .update(incidents)
    .set({ status: "resolved", resolution: "quiet", resolvedAt: sql`coalesce(${incidents.resolvedAt}, now())` })
    .where(
      and(
        eq(incidents.orgId, q.orgId), ofTargets(incidents.workloadId, incidents.containerName),
        ne(incidents.status, "resolved"), sql`${incidents.lastSeenAt} < ${new Date((q.now - 7 * 86_400) * 1000)}`,
        or(isNull(incidents.fixAppliedAt), sql`${incidents.lastSeenAt} > ${incidents.fixAppliedAt}`),
      ),
    );
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

const patternOf = (a: unknown) =>
  a && typeof a === "object" && "pattern" in a && typeof (a as { pattern: unknown }).pattern === "string" ? (a as { pattern: string }).pattern : null;
