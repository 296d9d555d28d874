import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/connect";
import { computeAtRisk, type AtRiskEntry } from "@/lib/at-risk/compute";
import { containerHref, incidentHref } from "@/lib/links";
import { emitEvents, type NotifyEvent } from "./deliver";
import type { NotifyPayload } from "./messages";

const containerSubject = (e: { cluster: string; namespace: string; workloadKind: string; workloadName: string; container: string }) =>
  `container:${e.cluster}/${e.namespace}/${e.workloadKind}/${e.workloadName}/${e.container}`;

/** Events of the organization's incidents opened since its first enabled channel (at most a day back), not snoozed. */
async function newIncidentEvents(db: Db, q: { orgId: string; org: string; since: Date; now: Date; appUrl: string }): Promise<NotifyEvent[]> {
  const rows = await db.execute<{
    id: string; cluster: string; namespace: string; workloadKind: string; workloadName: string; container: string; oomCount: number; pattern: string | null;
    analysis: Record<string, unknown> | null; limitBytes: number | null; lastSeenAt: Date | string;
  }>(sql`
    select i.id, c.slug as cluster, w.namespace, w.kind as "workloadKind", w.name as "workloadName", i.container_name as container,
      i.oom_count as "oomCount", i.pattern, i.analysis, ct.limit_bytes as "limitBytes", i.last_seen_at as "lastSeenAt"
    from incidents i
    join workloads w on w.id = i.workload_id and w.org_id = i.org_id
    join clusters c on c.id = i.cluster_id and c.org_id = i.org_id
    left join containers ct on ct.workload_id = i.workload_id and ct.name = i.container_name and ct.org_id = i.org_id
    where i.org_id = ${q.orgId} and i.status <> 'resolved' and i.created_at > ${q.since}
      and (i.snoozed_until is null or i.snoozed_until <= ${q.now})
    order by i.created_at`);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return rows.rows.map((r) => ({
    kind: "incident_opened",
    subjectKey: `incident:${r.id}`,
    once: true,
    payload: {
      kind: "incident_opened", cluster: r.cluster, namespace: r.namespace, workloadKind: r.workloadKind, workloadName: r.workloadName, container: r.container,
      pattern: r.pattern, workingSetBytes: null, limitBytes: r.limitBytes === null ? null : Number(r.limitBytes), usageOfLimit: null,
      growthBytesPerHour: num(r.analysis?.growthBytesPerHour), timeToOomHours: num(r.analysis?.timeToOomHours), oomCount: Number(r.oomCount), incidentId: r.id,
      url: `${q.appUrl}${incidentHref(q.org, r.id)}`, at: new Date(r.lastSeenAt).toISOString(),
    },
  }));
}

/** The payload of an at-risk container. */
export function atRiskPayload(kind: NotifyPayload["kind"], e: AtRiskEntry, q: { org: string; appUrl: string; now: Date }): NotifyPayload {
  return {
    kind, cluster: e.cluster, namespace: e.namespace, workloadKind: e.workloadKind, workloadName: e.workloadName, container: e.container, pattern: e.pattern,
    workingSetBytes: e.workingSetBytes, limitBytes: e.limitBytes, usageOfLimit: e.usageOfLimit, growthBytesPerHour: e.growthBytesPerHour, timeToOomHours: e.timeToOomHours,
    oomCount: null, incidentId: e.incidentId, url: `${q.appUrl}${e.incidentId ? incidentHref(q.org, e.incidentId) : containerHref(q.org, e)}`, at: q.now.toISOString(),
  };
}

/** Events of the at-risk list: critical containers, and leaks with a projection (each channel applies its own horizon); a snoozed incident's container stays quiet. */
async function atRiskEvents(db: Db, q: { orgId: string; org: string; now: Date; appUrl: string }): Promise<NotifyEvent[]> {
  const [report, snoozed] = await Promise.all([
    computeAtRisk(db, { orgId: q.orgId, now: q.now.getTime() / 1000 }),
    db.execute<{ id: string }>(sql`select id from incidents where org_id = ${q.orgId} and status <> 'resolved' and snoozed_until > ${q.now}`),
  ]);
  const quiet = new Set(snoozed.rows.map((r) => r.id));
  const out: NotifyEvent[] = [];
  for (const e of report.entries) {
    if (e.incidentId && quiet.has(e.incidentId)) continue;
    // critical first: a container both critical and leaking gets the critical message (one per window)
    if (e.level === "critical") out.push({ kind: "critical", subjectKey: containerSubject(e), payload: atRiskPayload("critical", e, q) });
    if (e.timeToOomHours !== null) out.push({ kind: "leak_projected", subjectKey: containerSubject(e), payload: atRiskPayload("leak_projected", e, q) });
  }
  return out;
}

/**
 * One scan of every organization with an enabled channel: its new incidents and, when `atRisk`, its
 * critical and leaking containers, queued for the channels that want them. Returns the channels that
 * got events (each to be flushed, grouped, by a notify.deliver job).
 */
export async function scanForNotifications(db: Db, q: { now: Date; appUrl: string; atRisk: boolean }): Promise<{ orgId: string; channelId: string }[]> {
  const orgs = await db.execute<{ orgId: string; slug: string; since: Date | string }>(sql`
    select c.org_id as "orgId", o.slug, min(c.created_at) as since
    from notification_channels c join organizations o on o.id = c.org_id
    where c.enabled group by c.org_id, o.slug`);
  const out: { orgId: string; channelId: string }[] = [];
  for (const o of orgs.rows) {
    const since = new Date(Math.max(new Date(o.since).getTime(), q.now.getTime() - 86_400_000));
    const events = [
      ...(await newIncidentEvents(db, { orgId: o.orgId, org: o.slug, since, now: q.now, appUrl: q.appUrl })),
      ...(q.atRisk ? await atRiskEvents(db, { orgId: o.orgId, org: o.slug, now: q.now, appUrl: q.appUrl }).catch(() => []) : []),
    ];
    for (const channelId of await emitEvents(db, { orgId: o.orgId, events, now: q.now })) out.push({ orgId: o.orgId, channelId });
  }
  return out;
}
