import "server-only";
import type { Db } from "@/db/connect";
import { analyzeContainer, AnalysisError, type AnalysisOutput } from "@/lib/analysis";
import { anchorNow, ANALYSIS_STEP_SECONDS, ANALYSIS_WINDOW_SECONDS, containerInput } from "@/lib/incidents/analyze";
import { liveAnalysis } from "@/lib/incidents/live-analysis";
import type { AnalysisHistory, ContainerRef } from "@/lib/metrics";
import { readOrgSources, sourcesForOrg, type ClusterSource } from "@/lib/metrics/for-cluster";
import { PrometheusSource, TERMINATION_STEP } from "@/lib/metrics/prometheus-source";
import { listCostSubjects, listStoredAnalyses, type CostSubject } from "@/lib/queries/cost";
import { costQuery, type CostQuery } from "@/lib/schemas/cost";
import { buildCostReport, type CostReport, type GroupTotals } from "./report";

/** What the cost of one container rests on: the engine's verdict, live this minute or stored with its incident. */
export interface CostVerdict {
  pattern: string | null;
  recommendation: { requestBytes: number; limitBytes: number; noChange: boolean } | null;
  backtest: { observedOomKills: number; avoidedOomKills: number; tightestHeadroomBytes: number; tightestHeadroomRatio: number } | null;
  /** the engine's cost of the recommendation at the cluster's price (live verdicts); null for stored ones, which are priced again */
  cost: AnalysisOutput["cost"];
  source: "live" | "stored";
  /** when a stored verdict was computed (ISO); null for a live one */
  analyzedAt: string | null;
}

export interface FleetVerdicts {
  now: number;
  subjects: CostSubject[];
  /** the verdict of each subject (same index), null where there is none */
  verdicts: (CostVerdict | null)[];
  /** clusters whose live verdicts could not be had, and why */
  unavailable: { cluster: string; reason: string }[];
}

/**
 * How long the page waits for a Prometheus-backed cluster's whole-cluster read; its containers then
 * show their stored verdicts (incidents) and the read goes on, kept for the next load. The demo
 * computes in-process and is always waited for.
 */
const LIVE_BUDGET_MS = 6_000;

/** Whole-cluster reads kept per source (the source changes with the cluster's settings), for the minute they cover. */
const reads = new WeakMap<PrometheusSource, { at: number; read: Promise<Map<string, AnalysisHistory>> }>();

const refOf = (s: CostSubject): ContainerRef => ({ cluster: s.cluster, namespace: s.namespace, workloadKind: s.workloadKind, workloadName: s.workloadName, container: s.name });
export const historyKey = (namespace: string, kind: string, name: string, container: string) => `${namespace}/${kind}/${name}/${container}`;
const pricingOf = (s: CostSubject) => ({ currency: s.currency, perGiBMonth: s.pricePerGibMonth });

/**
 * Every container of the organization with its verdict as of `now` (anchored to the minute, as every
 * page's verdicts are): the demo's through the shared live-verdict cache (the container page shows the
 * same), a Prometheus cluster's from one whole-cluster read (a handful of queries whatever the number
 * of containers, as the sync reads it), and the stored verdicts of incidents where no live one came in time.
 */
export async function fleetVerdicts(db: Db, q: { orgId: string; now: number; sources?: Map<string, ClusterSource> }): Promise<FleetVerdicts> {
  const now = anchorNow(q.now);
  const [subjects, stored, sources] = await Promise.all([listCostSubjects(db, { orgId: q.orgId }), listStoredAnalyses(db, { orgId: q.orgId }), q.sources ?? sourcesForOrg(db, { orgId: q.orgId })]);
  const byCluster = new Map<string, number[]>();
  subjects.forEach((s, i) => (byCluster.get(s.cluster) ?? byCluster.set(s.cluster, []).get(s.cluster)!).push(i));
  const verdicts: (CostVerdict | null)[] = subjects.map(() => null);
  const unavailable: FleetVerdicts["unavailable"] = [];
  await Promise.all(
    [...byCluster].map(async ([cluster, indexes]) => {
      const { source, problem } = sources.get(cluster) ?? { source: null, problem: "cluster not found" };
      if (!source) {
        if (problem) unavailable.push({ cluster, reason: problem });
        return;
      }
      if (source instanceof PrometheusSource) {
        const read = clusterRead(source, now);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<"late">((resolve) => {
          timer = setTimeout(() => resolve("late"), LIVE_BUDGET_MS);
        });
        try {
          const histories = await Promise.race([read, late]);
          if (histories === "late") {
            unavailable.push({ cluster, reason: `Prometheus did not answer within ${LIVE_BUDGET_MS / 1000} s; stored verdicts are shown where there are, and the read goes on for the next load` });
            return;
          }
          for (const i of indexes) {
            const s = subjects[i]!;
            const h = histories.get(historyKey(s.namespace, s.workloadKind, s.workloadName, s.name));
            if (!h || h.pods.length === 0) continue;
            try {
              const a = analyzeContainer({ now, container: containerInput(refOf(s), s.replicas, s), pods: enginePods(h), rawStats: h.rawStats, pricing: pricingOf(s) });
              verdicts[i] = liveVerdict(a);
            } catch (e) {
              if (!(e instanceof AnalysisError)) throw e;
            }
          }
        } catch (e) {
          unavailable.push({ cluster, reason: (e as Error).message });
        } finally {
          clearTimeout(timer);
        }
        return;
      }
      await Promise.all(
        indexes.map(async (i) => {
          const s = subjects[i]!;
          const a = await liveAnalysis(source, { ref: refOf(s), now, container: containerInput(refOf(s), s.replicas, s), pricing: pricingOf(s) }).catch(() => null);
          if (a) verdicts[i] = liveVerdict(a);
        }),
      );
    }),
  );
  subjects.forEach((s, i) => {
    if (verdicts[i]) return;
    const st = stored.get(`${s.workloadId}/${s.name}`);
    if (st) verdicts[i] = storedVerdict(st.analysis, st.analyzedAt, s);
  });
  return { now, subjects, verdicts, unavailable: unavailable.sort((a, b) => a.cluster.localeCompare(b.cluster)) };
}

/** One whole-cluster read of the analysis window, shared by the loads of a minute (and kept when a load stops waiting) — the cost page's and the at-risk list's alike. */
export function clusterRead(source: PrometheusSource, now: number): Promise<Map<string, AnalysisHistory>> {
  const hit = reads.get(source);
  if (hit && hit.at === now) return hit.read;
  const read = source
    .clusterHistory({ start: now - ANALYSIS_WINDOW_SECONDS, end: now, stepSeconds: ANALYSIS_STEP_SECONDS }, { terminationStep: TERMINATION_STEP, exitCodes: true })
    .then((list) => new Map(list.map((h) => [historyKey(h.workload.namespace, h.workload.kind, h.workload.name, h.container.name), { pods: h.pods, rawStats: h.rawStats }])));
  const entry = { at: now, read };
  reads.set(source, entry);
  read.catch(() => {
    if (reads.get(source) === entry) reads.delete(source);
  });
  return read;
}

const enginePods = (h: AnalysisHistory) => h.pods.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations }));

function liveVerdict(a: AnalysisOutput): CostVerdict {
  return {
    pattern: a.pattern,
    recommendation: a.recommendation ? { requestBytes: a.recommendation.requestBytes, limitBytes: a.recommendation.limitBytes, noChange: a.recommendation.noChange } : null,
    backtest: a.backtest,
    cost: a.cost,
    source: "live",
    analyzedAt: null,
  };
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** A stored verdict (possibly from an older engine): each field checked; "no change" judged against today's spec. */
function storedVerdict(analysis: unknown, analyzedAt: string | null, s: CostSubject): CostVerdict | null {
  if (!analysis || typeof analysis !== "object") return null;
  const a = analysis as Record<string, unknown>;
  const r = a.recommendation && typeof a.recommendation === "object" ? (a.recommendation as Record<string, unknown>) : null;
  const req = num(r?.requestBytes);
  const lim = num(r?.limitBytes);
  const b = a.backtest && typeof a.backtest === "object" ? (a.backtest as Record<string, unknown>) : null;
  const bt = b && [b.observedOomKills, b.avoidedOomKills, b.tightestHeadroomBytes, b.tightestHeadroomRatio].every((v) => num(v) !== null)
    ? { observedOomKills: b.observedOomKills as number, avoidedOomKills: b.avoidedOomKills as number, tightestHeadroomBytes: b.tightestHeadroomBytes as number, tightestHeadroomRatio: b.tightestHeadroomRatio as number }
    : null;
  return {
    pattern: typeof a.pattern === "string" ? a.pattern : null,
    recommendation: req !== null && lim !== null ? { requestBytes: req, limitBytes: lim, noChange: req === s.requestBytes && lim === s.limitBytes } : null,
    backtest: bt,
    cost: null,
    source: "stored",
    analyzedAt,
  };
}

/** The cost page for a query as of `now`: the fleet's verdicts, priced and filtered (every row with `all`, for the CSV). */
export async function getCostReport(db: Db, q: { orgId: string; now: number; query: CostQuery; all?: boolean }): Promise<CostReport> {
  return buildCostReport(await sharedFleetVerdicts(db, { orgId: q.orgId, now: q.now }), q.query, { all: q.all });
}

const fleets = new Map<string, { now: number; version: string; work: Promise<FleetVerdicts> }>();

/** fleetVerdicts once per organization, minute and pricing, shared by every load of that minute (pages, filters, pages of the list, the CSV). */
async function sharedFleetVerdicts(db: Db, q: { orgId: string; now: number }): Promise<FleetVerdicts> {
  const now = anchorNow(q.now);
  // the clusters' rows are read on every load (one statement): a price change is seen at once, on every replica
  const { sources, version } = await readOrgSources(db, { orgId: q.orgId });
  const hit = fleets.get(q.orgId);
  if (hit && hit.now === now && hit.version === version) return hit.work;
  const entry = { now, version, work: fleetVerdicts(db, { orgId: q.orgId, now, sources }) };
  fleets.set(q.orgId, entry);
  entry.work.catch(() => {
    if (fleets.get(q.orgId) === entry) fleets.delete(q.orgId);
  });
  return entry.work;
}

export type CostSummary = Pick<CostReport, "totals" | "unavailable"> & { byCluster: Map<string, GroupTotals> };

const summaries = new Map<string, { now: number; work: Promise<CostSummary> }>();
const latestSummary = new Map<string, CostSummary & { now: number }>();

/**
 * The cost summary for a page that must not wait for the fleet's analysis: this minute's when it is
 * ready within `waitMs`, else the latest finished one (`stale`, with the minute it is of) while this
 * minute's goes on, shared by concurrent loads; an organization's first one is waited for.
 */
export async function recentCostSummary(db: Db, q: { orgId: string; now: number; waitMs: number }): Promise<CostSummary & { now: number; stale: boolean }> {
  const now = anchorNow(q.now);
  let entry = summaries.get(q.orgId);
  if (!entry || entry.now !== now) {
    const work = getCostSummary(db, { orgId: q.orgId, now });
    entry = { now, work };
    summaries.set(q.orgId, entry);
    const mine = entry;
    work.then(
      (r) => {
        if ((latestSummary.get(q.orgId)?.now ?? 0) <= now) latestSummary.set(q.orgId, { ...r, now });
      },
      () => {
        if (summaries.get(q.orgId) === mine) summaries.delete(q.orgId);
      },
    );
  }
  const previous = latestSummary.get(q.orgId);
  if (!previous) return { ...(await entry.work), now, stale: false };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), q.waitMs);
  });
  const fresh = await Promise.race([entry.work, late]).catch(() => null).finally(() => clearTimeout(timer));
  return fresh ? { ...fresh, now, stale: false } : { ...previous, stale: previous.now < now };
}

/** Monthly cost of requests and the net change of every recommendation, per currency and per cluster (overview, clusters list). */
export async function getCostSummary(db: Db, q: { orgId: string; now: number }): Promise<Pick<CostReport, "totals" | "unavailable"> & { byCluster: Map<string, GroupTotals> }> {
  const report = await getCostReport(db, { ...q, query: costQuery.parse({ group: "cluster", pageSize: 1 }) });
  return { totals: report.totals, unavailable: report.unavailable, byCluster: new Map(report.breakdown.groups.map((g) => [g.key, g])) };
}
