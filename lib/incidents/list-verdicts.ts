import "server-only";
import type { Db } from "@/db/connect";
import type { AnalysisOutput } from "@/lib/analysis";
import { sourcesForOrg, type ClusterSource } from "@/lib/metrics/for-cluster";
import { listContainerSpecs, type ContainerSpecWithWorkload } from "@/lib/queries/containers";
import { listIncidentsWithCounts, type IncidentCounts, type IncidentRow } from "@/lib/queries/incidents";
import { listTopOffenders, type OffenderRow } from "@/lib/queries/overview";
import type { Page } from "@/lib/queries/workloads";
import type { ListIncidentsQuery } from "@/lib/schemas/lists";
import { anchorNow, containerInput } from "./analyze";
import { liveAnalysis } from "./live-analysis";
import { rowVerdict, type RowVerdict } from "./verdict-line";

/**
 * How long a list waits for the live verdicts of a Prometheus-backed cluster; the rows still waiting
 * show their stored verdict, with its time. The demo computes in-process and is always waited for,
 * so its lists are the same on every load of a minute.
 */
const LIVE_BUDGET_MS = 4_000;

/** A row that shows a verdict: its container, its incident's status, and the incident's stored analysis. */
interface Subject {
  workloadId: string;
  container: string;
  status: "open" | "acknowledged" | "resolved" | null;
  analysis: unknown;
  analyzedAt: string | null;
}

const keyOf = (workloadId: string, container: string) => `${workloadId}/${container}`;
const isActive = (s: Subject) => s.status === "open" || s.status === "acknowledged";

/**
 * The verdict each row shows. An active incident shows its container's live verdict of this minute
 * (the one its page shows), or, when that cannot be had within LIVE_BUDGET_MS (metrics unreachable,
 * slow), the stored verdict with the time it was computed. A resolved incident shows its stored
 * verdict without a prediction; a row without an incident shows none.
 */
export async function verdictsFor(db: Db, q: { orgId: string; now: number; rows: Subject[] }): Promise<(RowVerdict | null)[]> {
  const withIncident = q.rows.filter((r) => r.status !== null);
  const specs = await listContainerSpecs(db, { orgId: q.orgId, keys: withIncident.map((r) => ({ workloadId: r.workloadId, container: r.container })) });
  const specOf = new Map(specs.map((s) => [keyOf(s.workloadId, s.name), s]));
  const activeKeys = new Set(withIncident.filter(isActive).map((r) => keyOf(r.workloadId, r.container)));
  const live = await liveVerdicts(db, { orgId: q.orgId, now: q.now, specs: specs.filter((s) => activeKeys.has(keyOf(s.workloadId, s.name))) });
  return q.rows.map((r) => {
    if (r.status === null) return null;
    const limitBytes = specOf.get(keyOf(r.workloadId, r.container))?.limitBytes ?? null;
    const fresh = isActive(r) ? live.get(keyOf(r.workloadId, r.container)) : undefined;
    if (fresh) return rowVerdict(fresh, { limitBytes, active: true, storedAt: null });
    return rowVerdict(r.analysis, { limitBytes, active: isActive(r), storedAt: r.analyzedAt });
  });
}

/** The live verdicts of the given containers that are ready within the budget, by workload id and container. */
async function liveVerdicts(db: Db, q: { orgId: string; now: number; specs: ContainerSpecWithWorkload[] }): Promise<Map<string, AnalysisOutput>> {
  const out = new Map<string, AnalysisOutput>();
  if (q.specs.length === 0) return out;
  // every cluster's source from one statement, however many clusters the rows span
  const sources = sourcesForOrg(db, { orgId: q.orgId });
  const sourceOf = async (cluster: string): Promise<ClusterSource> => (await sources).get(cluster) ?? { source: null, problem: "cluster not found", remote: false };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), LIVE_BUDGET_MS);
  });
  const now = anchorNow(q.now);
  try {
    await Promise.all(
      q.specs.map(async (s) => {
        const { source, remote } = await sourceOf(s.cluster).catch((): Pick<ClusterSource, "source" | "remote"> => ({ source: null, remote: true }));
        if (!source) return;
        const ref = { cluster: s.cluster, namespace: s.namespace, workloadKind: s.workloadKind, workloadName: s.workloadName, container: s.name };
        const work = liveAnalysis(source, { ref, now, container: containerInput(ref, s.replicas, s), pricing: { currency: s.currency, perGiBMonth: s.pricePerGibMonth } }).catch(() => null);
        const r = await (remote ? Promise.race([work, deadline]) : work);
        if (r && r !== "late") out.set(keyOf(s.workloadId, s.name), r);
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** An incident of the list, with the verdict it shows instead of its stored analysis. */
export type IncidentListRow = Omit<IncidentRow, "analysis" | "analyzedAt"> & { verdict: RowVerdict | null };

/** A page of the incidents list, as of `now` (the minute its verdicts and times are anchored to, unix seconds), with the count of each status under its other filters. */
export type IncidentListPage = Page<IncidentListRow> & { now: number; counts: IncidentCounts };

/** A page of the organization's incidents (as listIncidents), each with its verdict as of `now` anchored to the minute; `userId` is who "assignee: me" means. */
export async function listIncidentsWithVerdicts(db: Db, q: { orgId: string; now: number; userId?: string } & ListIncidentsQuery): Promise<IncidentListPage> {
  const now = anchorNow(q.now);
  const query = { ...q, now: new Date(now * 1000) };
  const { page, counts } = await listIncidentsWithCounts(db, query);
  const verdicts = await verdictsFor(db, { orgId: q.orgId, now, rows: page.rows });
  return { ...page, now, counts, rows: page.rows.map(({ analysis: _a, analyzedAt: _t, ...r }, i) => ({ ...r, verdict: verdicts[i]! })) };
}

/** A top offender, with the verdict of its active incident (none without one). */
export type OffenderListRow = Omit<OffenderRow, "analysis" | "analyzedAt"> & { verdict: RowVerdict | null };

/** The containers with the most OOMKills in 30 days (as listTopOffenders), each with its verdict as of `now`. */
export async function listOffendersWithVerdicts(db: Db, q: { orgId: string; now: Date; limit: number }): Promise<OffenderListRow[]> {
  const rows = await listTopOffenders(db, q);
  const verdicts = await verdictsFor(db, {
    orgId: q.orgId,
    now: Math.floor(q.now.getTime() / 1000),
    rows: rows.map((r) => ({ workloadId: r.workloadId, container: r.container, status: r.incidentStatus, analysis: r.analysis, analyzedAt: r.analyzedAt })),
  });
  return rows.map(({ analysis: _a, analyzedAt: _t, ...r }, i) => ({ ...r, verdict: verdicts[i]! }));
}
