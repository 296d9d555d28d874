import "server-only";
import { and, asc, desc, eq, gte, lte, ne, or, sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { auditLog, clusters, containers, incidentNotes, incidents, oomEvents, receivedAlerts, users, workloads } from "@/db/schema";
import type { AnalysisOutput } from "@/lib/analysis";
import { isUuid } from "@/lib/http/ids";
import { sourceForCluster } from "@/lib/metrics/for-cluster";
import { anchorNow, containerInput } from "./analyze";
import { FIX_VERIFY_SECONDS } from "./fix-verify";
import { liveAnalysis } from "./live-analysis";
import { memorySpecOf, parseMemorySpec, type MemorySpec } from "./memory-spec";
import { ASSIGNABLE_ROLES } from "./status";

/** How long the page waits for a Prometheus-backed cluster's live verdict before showing the stored one. */
const LIVE_BUDGET_MS = 4_000;
/** Terminations shown on a timeline (newest first); older ones are counted, not listed. */
const TIMELINE_TERMINATIONS = 200;

/** What the page shows of an analysis: the verdict and the recommended request and limit. */
export interface AnalysisSummary {
  pattern: string | null;
  summary: string | null;
  confidence: number | null;
  timeToOomHours: number | null;
  recommendation: { request: string; limit: string; requestBytes: number; limitBytes: number; noChange: boolean } | null;
}

export type TimelineEntry =
  | { kind: "termination"; at: string; reason: string; exitCode: number | null; pod: string; node: string | null; restartCount: number; message: string | null; containerKind: string }
  | { kind: "event"; at: string; action: string; actor: string | null; data: Record<string, unknown> | null }
  | { kind: "note"; at: string; id: string; author: string | null; body: string }
  /** an Alertmanager alert matched to this incident (lib/notify/alertmanager.ts), at when it started firing */
  | { kind: "alert"; at: string; alertname: string; status: string; severity: string | null; summary: string | null; endsAt: string | null };

export interface RelatedIncident {
  id: string;
  status: "open" | "acknowledged" | "resolved";
  resolution: string | null;
  oomCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  /** this incident's previous_incident_id points at it */
  previous: boolean;
}

export interface IncidentView {
  id: string;
  status: "open" | "acknowledged" | "resolved";
  /** set while a snooze runs (ISO); null when none or it has ended */
  snoozedUntil: string | null;
  resolution: string | null;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  pattern: string | null;
  oomCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  cluster: { slug: string; name: string };
  workload: { kind: string; namespace: string; name: string };
  container: string;
  /** the inventory knows the container (its page exists) */
  containerKnown: boolean;
  assignee: { userId: string; name: string } | null;
  first: AnalysisSummary | null;
  latest: { analysis: AnalysisSummary | null; live: boolean; analyzedAt: string | null };
  fix: {
    specAtOpen: MemorySpec | null;
    current: MemorySpec | null;
    specAfterFix: MemorySpec | null;
    appliedAt: string | null;
    /** OOMKills of the container since the fix (a fix that did not hold has some) */
    killsSince: number;
    /** when a quiet week on the fix verifies it (ISO), while it is being verified */
    verifiesAt: string | null;
  };
  timeline: TimelineEntry[];
  /** terminations of the incident's span left off the timeline (older than those shown) */
  timelineOmitted: number;
  related: RelatedIncident[];
  /** members who can be assigned it; only for those who may act */
  assignees: { userId: string; name: string; email: string }[] | null;
  /** the page's clock (unix s, anchored to the minute) */
  now: number;
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The verdict and recommendation of a stored (or live) analysis; a stored one may come from an older engine, so each field is checked. */
export function summarizeAnalysis(a: unknown): AnalysisSummary | null {
  if (!a || typeof a !== "object") return null;
  const o = a as Record<string, unknown>;
  const r = o.recommendation && typeof o.recommendation === "object" ? (o.recommendation as Record<string, unknown>) : null;
  const recommendation =
    r && typeof r.request === "string" && typeof r.limit === "string" && num(r.requestBytes) !== null && num(r.limitBytes) !== null
      ? { request: r.request, limit: r.limit, requestBytes: r.requestBytes as number, limitBytes: r.limitBytes as number, noChange: r.noChange === true }
      : null;
  return {
    pattern: typeof o.pattern === "string" ? o.pattern : null,
    summary: typeof o.summary === "string" ? o.summary : null,
    confidence: num(o.confidence),
    timeToOomHours: num(o.timeToOomHours),
    recommendation,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type RelatedRow = { id: string; status: "open" | "acknowledged" | "resolved"; resolution: string | null; oomCount: number; firstSeenAt: string; lastSeenAt: string };

/** Everything the incident page shows, or null when it is not this organization's. */
export async function getIncidentView(db: Db, q: { orgId: string; incidentId: string; now: Date; canAct: boolean }): Promise<IncidentView | null> {
  if (!isUuid(q.incidentId)) return null;
  // the incident with its workload, cluster, assignee, container spec, the kills since its fix and the
  // container's other incidents, in one statement (the page stays within its statement budget at any size)
  const [row] = await db
    .select({
      i: incidents, w: workloads, c: { slug: clusters.slug, name: clusters.name, currency: clusters.currency, pricePerGibMonth: clusters.pricePerGibMonth },
      assigneeName: users.name, assigneeEmail: users.email, spec: containers,
      killsSince: sql<number>`(select count(*)::int from oom_events e where e.org_id = ${incidents.orgId} and e.workload_id = ${incidents.workloadId}
        and e.container_name = ${incidents.containerName} and e.reason = 'OOMKilled' and ${incidents.fixAppliedAt} is not null and e.finished_at > ${incidents.fixAppliedAt})`,
      related: sql<RelatedRow[]>`coalesce((select json_agg(r) from (
        select r2.id, r2.status, r2.resolution, r2.oom_count as "oomCount", r2.first_seen_at as "firstSeenAt", r2.last_seen_at as "lastSeenAt"
        from incidents r2 where r2.org_id = ${incidents.orgId} and r2.workload_id = ${incidents.workloadId} and r2.container_name = ${incidents.containerName} and r2.id <> ${incidents.id}
        order by r2.first_seen_at desc limit 20) r), '[]'::json)`,
      // who it can be assigned to (members who may act), for the page's picker: read with it rather than after
      assignees: sql<{ userId: string; name: string | null; email: string }[]>`coalesce((select json_agg(json_build_object('userId', u.id, 'name', u.name, 'email', u.email))
        from memberships m join users u on u.id = m.user_id where m.org_id = ${incidents.orgId} and m.role::text in (${sql.join(ASSIGNABLE_ROLES.map((r) => sql`${r}`), sql`, `)})), '[]'::json)`,
    })
    .from(incidents)
    .innerJoin(workloads, and(eq(workloads.id, incidents.workloadId), eq(workloads.orgId, incidents.orgId)))
    .innerJoin(clusters, and(eq(clusters.id, incidents.clusterId), eq(clusters.orgId, incidents.orgId)))
    .leftJoin(users, eq(users.id, incidents.assigneeUserId))
    .leftJoin(containers, and(eq(containers.orgId, incidents.orgId), eq(containers.workloadId, incidents.workloadId), eq(containers.name, incidents.containerName)))
    .where(and(eq(incidents.id, q.incidentId), eq(incidents.orgId, q.orgId)));
  if (!row) return null;
  const { i, w, c } = row;
  const spec = row.spec ?? undefined;
  const nowSec = anchorNow(q.now.getTime() / 1000);
  const active = i.status !== "resolved";
  const end = i.resolvedAt ?? q.now;

  const [live, timeline] = await Promise.all([
    active && spec ? liveVerdict(db, { orgId: q.orgId, cluster: c, workload: w, spec, now: nowSec }) : Promise.resolve(null),
    timelineOf(db, { orgId: q.orgId, incident: i, end }),
  ]);
  const assignees = q.canAct ? row.assignees.map((a) => ({ userId: a.userId, email: a.email, name: a.name || a.email })).sort((a, b) => a.name.localeCompare(b.name)) : null;
  const related = row.related.map((r) => ({ ...r, firstSeenAt: new Date(r.firstSeenAt), lastSeenAt: new Date(r.lastSeenAt) }));
  const killsSince = i.fixAppliedAt ? row.killsSince : 0;
  const snoozed = i.snoozedUntil && i.snoozedUntil > q.now && active ? i.snoozedUntil : null;
  return {
    id: i.id,
    status: i.status,
    snoozedUntil: iso(snoozed),
    resolution: i.resolution,
    resolvedAt: iso(i.resolvedAt),
    acknowledgedAt: iso(i.acknowledgedAt),
    pattern: live?.pattern ?? i.pattern,
    oomCount: i.oomCount,
    firstSeenAt: i.firstSeenAt.toISOString(),
    lastSeenAt: i.lastSeenAt.toISOString(),
    cluster: { slug: c.slug, name: c.name },
    workload: { kind: w.kind, namespace: w.namespace, name: w.name },
    container: i.containerName,
    containerKnown: spec !== undefined,
    assignee: i.assigneeUserId ? { userId: i.assigneeUserId, name: row.assigneeName || row.assigneeEmail || "a former member" } : null,
    first: summarizeAnalysis(i.firstAnalysis),
    latest: live ? { analysis: summarizeAnalysis(live), live: true, analyzedAt: new Date(nowSec * 1000).toISOString() } : { analysis: summarizeAnalysis(i.analysis), live: false, analyzedAt: iso(i.analyzedAt) },
    fix: {
      specAtOpen: parseMemorySpec(i.specAtOpen),
      current: memorySpecOf(spec),
      specAfterFix: parseMemorySpec(i.specAfterFix),
      appliedAt: iso(i.fixAppliedAt),
      killsSince,
      verifiesAt: i.fixAppliedAt && active && killsSince === 0 ? new Date(i.fixAppliedAt.getTime() + FIX_VERIFY_SECONDS * 1000).toISOString() : null,
    },
    timeline: timeline.entries,
    timelineOmitted: timeline.omitted,
    related: related.map((r) => ({ ...r, firstSeenAt: r.firstSeenAt.toISOString(), lastSeenAt: r.lastSeenAt.toISOString(), previous: r.id === i.previousIncidentId })),
    assignees,
    now: nowSec,
  };
}

/** The container's live verdict of this minute (the one its page and the lists show), or null when it cannot be had in time. */
async function liveVerdict(
  db: Db,
  q: { orgId: string; cluster: { slug: string; currency: string; pricePerGibMonth: number }; workload: typeof workloads.$inferSelect; spec: typeof containers.$inferSelect; now: number },
): Promise<AnalysisOutput | null> {
  const { source, remote } = await sourceForCluster(db, { orgId: q.orgId, slug: q.cluster.slug }).catch(() => ({ source: null, remote: true }));
  if (!source) return null;
  const ref = { cluster: q.cluster.slug, namespace: q.workload.namespace, workloadKind: q.workload.kind, workloadName: q.workload.name, container: q.spec.name };
  const work = liveAnalysis(source, { ref, now: q.now, container: containerInput(ref, q.workload.replicas, q.spec), pricing: { currency: q.cluster.currency, perGiBMonth: q.cluster.pricePerGibMonth } }).catch(() => null);
  if (!remote) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), LIVE_BUDGET_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The incident's timeline, newest first: the container's terminations from a day before its first
 * OOMKill to its end (OOMKilled and every other exit, and the pod's evictions), what people and
 * Headroom did to it (the audit log), and its notes.
 */
async function timelineOf(db: Db, q: { orgId: string; incident: typeof incidents.$inferSelect; end: Date }): Promise<{ entries: TimelineEntry[]; omitted: number }> {
  const i = q.incident;
  const from = new Date(i.firstSeenAt.getTime() - 86_400_000);
  const termsWhere = and(
    eq(oomEvents.orgId, q.orgId), eq(oomEvents.workloadId, i.workloadId),
    // an eviction is the pod's, recorded without a container
    or(eq(oomEvents.containerName, i.containerName), and(eq(oomEvents.containerName, ""), eq(oomEvents.reason, "Evicted"))),
    gte(oomEvents.finishedAt, from), lte(oomEvents.finishedAt, q.end),
  );
  const [terms, events, notes, alerts] = await Promise.all([
    // the newest terminations, and how many there are in all (a window count over narrow rows)
    db.select({ t: oomEvents, total: sql<number>`count(*) over ()`.mapWith(Number) }).from(oomEvents).where(termsWhere).orderBy(desc(oomEvents.finishedAt)).limit(TIMELINE_TERMINATIONS),
    db
      .select({ at: auditLog.createdAt, action: auditLog.action, data: auditLog.data, actorName: users.name, actorEmail: users.email })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(eq(auditLog.orgId, q.orgId), eq(auditLog.targetType, "incident"), eq(auditLog.targetId, i.id), ne(auditLog.action, "incident.note_added")))
      // the newest ones: a page stays bounded however often someone snoozed it
      .orderBy(desc(auditLog.id))
      .limit(TIMELINE_TERMINATIONS),
    db
      .select({ id: incidentNotes.id, at: incidentNotes.createdAt, body: incidentNotes.body, authorName: users.name, authorEmail: users.email })
      .from(incidentNotes)
      .leftJoin(users, eq(users.id, incidentNotes.authorUserId))
      .where(and(eq(incidentNotes.orgId, q.orgId), eq(incidentNotes.incidentId, i.id)))
      .orderBy(desc(incidentNotes.createdAt))
      .limit(TIMELINE_TERMINATIONS),
    // the container's alerts over the incident's span: matched to it, or fired before it opened (the warning before the kill)
    db
      .select()
      .from(receivedAlerts)
      .where(and(
        eq(receivedAlerts.orgId, q.orgId),
        or(eq(receivedAlerts.incidentId, i.id), and(eq(receivedAlerts.workloadId, i.workloadId), eq(receivedAlerts.containerName, i.containerName), gte(receivedAlerts.startsAt, from), lte(receivedAlerts.startsAt, q.end))),
      ))
      .orderBy(asc(receivedAlerts.startsAt))
      .limit(TIMELINE_TERMINATIONS),
  ]);
  const entries: TimelineEntry[] = [
    ...terms.map(({ t }): TimelineEntry => ({
      kind: "termination", at: t.finishedAt.toISOString(), reason: t.reason, exitCode: t.exitCode, pod: t.podName, node: t.node, restartCount: t.restartCount, message: t.message, containerKind: t.containerKind,
    })),
    ...events.map((e): TimelineEntry => ({ kind: "event", at: e.at.toISOString(), action: e.action, actor: e.actorName || e.actorEmail || null, data: (e.data as Record<string, unknown> | null) ?? null })),
    ...notes.map((n): TimelineEntry => ({ kind: "note", at: n.at.toISOString(), id: n.id, author: n.authorName || n.authorEmail || null, body: n.body })),
    ...alerts.map((a): TimelineEntry => ({
      kind: "alert", at: a.startsAt.toISOString(), alertname: a.alertname, status: a.status, severity: a.severity,
      summary: a.annotations.summary ?? a.annotations.description ?? a.annotations.message ?? null, endsAt: a.endsAt?.toISOString() ?? null,
    })),
  ];
  // a week without a kill resolves an incident without anyone doing it: that is on the timeline too
  const resolvedBySomeone = events.some((e) => e.action === "incident.resolved" || e.action === "incident.fix_verified");
  if (i.status === "resolved" && i.resolvedAt && (i.resolution === "quiet" || (i.resolution === null && !resolvedBySomeone))) {
    entries.push({ kind: "event", at: i.resolvedAt.toISOString(), action: "incident.resolved_quiet", actor: null, data: null });
  }
  entries.sort((a, b) => b.at.localeCompare(a.at));
  return { entries, omitted: Math.max(0, (terms[0]?.total ?? 0) - terms.length) };
}
