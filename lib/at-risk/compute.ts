import "server-only";
import type { Db } from "@/db/connect";
import { analyzeContainer, AnalysisError, type AnalysisOutput } from "@/lib/analysis";
import { anchorNow, containerInput } from "@/lib/incidents/analyze";
import { liveAnalysis } from "@/lib/incidents/live-analysis";
import { refKey, type ContainerRef } from "@/lib/metrics";
import { sourcesForOrg, type ClusterSource } from "@/lib/metrics/for-cluster";
import { PrometheusSource } from "@/lib/metrics/prometheus-source";
import { listAtRiskSubjects, type AtRiskSubject } from "@/lib/queries/at-risk";
import type { AlertSettings } from "@/lib/schemas/alerts";
import { getAlertSettings } from "./settings";
import { clusterRead, historyKey } from "@/lib/cost/analyses";

/**
 * PSI "some" at or above this share of the time (over 5 minutes) flags a container as stalling on
 * memory: its tasks wait for reclaim one second in ten, the latency users feel before the kill.
 */
export const STALL_FLAG_RATIO = 0.1;

export type AtRiskLevel = "critical" | "warning" | "none";

/** A container near its limit, growing towards it, or stalling on memory. */
export interface AtRiskEntry {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
  workloadId: string;
  limitBytes: number;
  requestBytes: number | null;
  /** the latest working set (highest pod), null when the source had none */
  workingSetBytes: number | null;
  usageOfLimit: number | null;
  /** by the organization's levels (85% / 95% by default) */
  level: AtRiskLevel;
  pattern: string | null;
  growthBytesPerHour: number | null;
  /** the engine's projection of the next OOMKill, null when it predicts none */
  timeToOomHours: number | null;
  /** the projection falls within the organization's leak horizon */
  projectedWithinHorizon: boolean;
  /** PSI: share of the last 5 minutes spent waiting for memory; null where the cluster does not export it */
  stallRatio: number | null;
  stalling: boolean;
  incidentId: string | null;
}

/** What is known about a cluster's live data for this list. */
export interface AtRiskClusterState {
  cluster: string;
  /** why live usage or verdicts are missing (null when everything came) */
  problem: string | null;
  /** whether the cluster exports PSI; null when it could not be asked */
  psi: boolean | null;
}

export interface AtRiskReport {
  now: number;
  settings: AlertSettings;
  entries: AtRiskEntry[];
  clusters: AtRiskClusterState[];
}

/** How long the list waits for one Prometheus cluster; what is late is said, never waited for. */
const LIVE_BUDGET_MS = 6_000;

const refOf = (s: AtRiskSubject): ContainerRef => ({ cluster: s.cluster, namespace: s.namespace, workloadKind: s.workloadKind, workloadName: s.workloadName, container: s.name });

function withBudget<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** The level of a usage of limit by the organization's levels: `>=` at each boundary, as the engine's alert. */
export function levelOf(usage: number | null, s: Pick<AlertSettings, "warningPercent" | "criticalPercent">): AtRiskLevel {
  if (usage === null) return "none";
  if (usage >= s.criticalPercent / 100) return "critical";
  if (usage >= s.warningPercent / 100) return "warning";
  return "none";
}

interface Live {
  latest: Map<string, number>;
  stall: Map<string, number> | null;
  verdicts: Map<string, AnalysisOutput>;
}

async function readCluster(q: { now: number; cluster: string; subjects: AtRiskSubject[]; source: ClusterSource | undefined }): Promise<{ live: Live; state: AtRiskClusterState }> {
  const live: Live = { latest: new Map(), stall: null, verdicts: new Map() };
  const state: AtRiskClusterState = { cluster: q.cluster, problem: null, psi: null };
  const { source, problem, remote } = q.source ?? { source: null, problem: "cluster not found", remote: false };
  if (!source) return { live, state: { ...state, problem } };
  const refs = q.subjects.map(refOf);
  const budget = <T,>(p: Promise<T>, what: string) => (remote ? withBudget(p, LIVE_BUDGET_MS, what) : p);
  const problems: string[] = [];
  const usage = budget(source.latestWorkingSet(refs, q.now), "Prometheus").then(
    (m) => void (live.latest = m),
    (e: Error) => void problems.push(`live usage: ${e.message}`),
  );
  const psi = source.memoryStall
    ? budget(source.memoryStall(refs, q.now), "Prometheus").then(
        (m) => {
          live.stall = m;
          state.psi = m !== null;
        },
        () => undefined,
      )
    : Promise.resolve((state.psi = false));
  const verdicts = (async () => {
    if (source instanceof PrometheusSource) {
      const histories = await budget(clusterRead(source, q.now), "Prometheus").catch((e: Error) => {
        problems.push(`verdicts: ${e.message}; the read goes on for the next load`);
        return null;
      });
      if (!histories) return;
      for (const s of q.subjects) {
        const h = histories.get(historyKey(s.namespace, s.workloadKind, s.workloadName, s.name));
        if (!h || h.pods.length === 0) continue;
        try {
          live.verdicts.set(refKey(refOf(s)), analyzeContainer({
            now: q.now, container: containerInput(refOf(s), s.replicas, s), rawStats: h.rawStats,
            pods: h.pods.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations })),
            pricing: { currency: s.currency, perGiBMonth: s.pricePerGibMonth },
          }));
        } catch (e) {
          if (!(e instanceof AnalysisError)) throw e;
        }
      }
      return;
    }
    await Promise.all(q.subjects.map(async (s) => {
      const a = await liveAnalysis(source, { ref: refOf(s), now: q.now, container: containerInput(refOf(s), s.replicas, s), pricing: { currency: s.currency, perGiBMonth: s.pricePerGibMonth } }).catch(() => null);
      if (a) live.verdicts.set(refKey(refOf(s)), a);
    }));
  })();
  await Promise.all([usage, psi, verdicts]);
  return { live, state: { ...state, problem: problems.length ? problems.join("; ") : null } };
}

/** Orders entries by time to OOM (soonest first, none last), then level, then usage of limit. */
export function compareAtRisk(a: AtRiskEntry, b: AtRiskEntry): number {
  const t = (a.timeToOomHours ?? Infinity) - (b.timeToOomHours ?? Infinity);
  if (t !== 0 && !Number.isNaN(t)) return t;
  const rank = { critical: 0, warning: 1, none: 2 } as const;
  if (rank[a.level] !== rank[b.level]) return rank[a.level] - rank[b.level];
  return (b.usageOfLimit ?? 0) - (a.usageOfLimit ?? 0);
}

/** The entry for one container, or null when nothing puts it at risk. */
export function entryOf(s: AtRiskSubject, live: { workingSetBytes: number | null; verdict: AnalysisOutput | null; stallRatio: number | null }, settings: AlertSettings): AtRiskEntry | null {
  const usage = live.workingSetBytes === null ? null : live.workingSetBytes / s.limitBytes;
  const level = levelOf(usage, settings);
  const v = live.verdict;
  const growing = v !== null && v.timeToOomHours !== null && (v.growthBytesPerHour ?? 0) > 0;
  const timeToOomHours = growing ? v.timeToOomHours : null;
  const stalling = live.stallRatio !== null && live.stallRatio >= STALL_FLAG_RATIO;
  if (level === "none" && timeToOomHours === null && !stalling) return null;
  return {
    cluster: s.cluster, namespace: s.namespace, workloadKind: s.workloadKind, workloadName: s.workloadName, container: s.name,
    workloadId: s.workloadId, limitBytes: s.limitBytes, requestBytes: s.requestBytes,
    workingSetBytes: live.workingSetBytes, usageOfLimit: usage, level,
    pattern: v?.pattern ?? null,
    growthBytesPerHour: growing ? v.growthBytesPerHour : null,
    timeToOomHours,
    projectedWithinHorizon: timeToOomHours !== null && timeToOomHours <= settings.leakWithinHours,
    stallRatio: live.stallRatio, stalling,
    incidentId: s.incidentId,
  };
}

const memo = new Map<string, Promise<AtRiskReport>>();
/** Each organization's latest finished report, served while the next minute's is computed. */
const latest = new Map<string, AtRiskReport>();
/** At most this many clusters are read at once (each a handful of Prometheus queries, or the demo's in-process models). */
const CLUSTERS_IN_FLIGHT = 8;

/** Runs `work` over `items` with at most `limit` in flight, results in order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Every container of the organization at risk as of `now` (anchored to the minute, like every
 * verdict): at or above the warning or critical share of its limit, projected by the engine to reach
 * its limit, or stalling on memory (PSI); soonest OOMKill first. Computed once a minute per
 * organization and shared by the page, its API, the overview and the notification scan.
 */
export function computeAtRisk(db: Db, q: { orgId: string; now: number }): Promise<AtRiskReport> {
  const now = anchorNow(q.now);
  const key = `${q.orgId}|${now}`;
  const hit = memo.get(key);
  if (hit) return hit;
  for (const k of memo.keys()) if (!k.endsWith(`|${now}`)) memo.delete(k);
  const work = (async (): Promise<AtRiskReport> => {
    // three statements whatever the number of clusters: the containers, the levels, every cluster's source
    const [subjects, settings, sources] = await Promise.all([listAtRiskSubjects(db, { orgId: q.orgId }), getAlertSettings(db, { orgId: q.orgId }), sourcesForOrg(db, { orgId: q.orgId })]);
    const byCluster = new Map<string, AtRiskSubject[]>();
    for (const s of subjects) (byCluster.get(s.cluster) ?? byCluster.set(s.cluster, []).get(s.cluster)!).push(s);
    const results = await mapLimited([...byCluster], CLUSTERS_IN_FLIGHT, ([cluster, list]) => readCluster({ now, cluster, subjects: list, source: sources.get(cluster) }));
    const entries: AtRiskEntry[] = [];
    results.forEach(({ live }, i) => {
      for (const s of [...byCluster.values()][i]!) {
        const k = refKey(refOf(s));
        const e = entryOf(s, { workingSetBytes: live.latest.get(k) ?? null, verdict: live.verdicts.get(k) ?? null, stallRatio: live.stall?.get(k) ?? null }, settings);
        if (e) entries.push(e);
      }
    });
    return { now, settings, entries: entries.sort(compareAtRisk), clusters: results.map((r) => r.state).sort((a, b) => a.cluster.localeCompare(b.cluster)) };
  })();
  memo.set(key, work);
  work.then((r) => {
    if ((latest.get(q.orgId)?.now ?? 0) <= r.now) latest.set(q.orgId, r);
  }, () => memo.delete(key));
  return work;
}

/**
 * The at-risk report for a page: this minute's when it is ready within `waitMs`, else the latest
 * finished one (`stale`, dated by its `now`) while this minute's goes on for the next load — a slow
 * cluster or the minute's recomputation never holds the page. The first report of an organization
 * is waited for.
 */
export async function recentAtRisk(db: Db, q: { orgId: string; now: number; waitMs: number }): Promise<AtRiskReport & { stale: boolean }> {
  const work = computeAtRisk(db, q);
  const previous = latest.get(q.orgId);
  if (!previous) return { ...(await work), stale: false };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), q.waitMs);
  });
  const fresh = await Promise.race([work, late]).catch(() => null).finally(() => clearTimeout(timer));
  return fresh ? { ...fresh, stale: false } : { ...previous, stale: previous.now < anchorNow(q.now) };
}
