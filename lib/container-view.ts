import "server-only";
import type { Db } from "@/db/connect";
import type { AnalysisOutput, FewerReplicas, WhatIfBasis } from "@/lib/analysis";
import { specFindings } from "@/lib/analysis/findings";
import type { Finding } from "@/lib/analysis/types";
import { downsample, type ChartPoint } from "@/lib/charts/downsample";
import { anchorNow, ANALYSIS_STEP_SECONDS, ANALYSIS_WINDOW_SECONDS, containerInput } from "@/lib/incidents/analyze";
import { liveContainerAnalysis } from "@/lib/incidents/live-analysis";
import type { ContainerRef, PodSeries } from "@/lib/metrics";
import { sourceForCluster } from "@/lib/metrics/for-cluster";
import type { ClusterSummary } from "@/lib/queries/clusters";
import { getActiveIncident, getWorkloadWithContainers, type ActiveIncident } from "@/lib/queries/containers";
import { CHART_WINDOWS, type ContainerViewQuery } from "@/lib/schemas/lists";

const CHART_STEP: Record<ContainerViewQuery["window"], number> = { "24h": 60, "7d": 300, "30d": 900 };

export interface ContainerView {
  cluster: { slug: string; name: string; currency: string; pricePerGibMonth: number };
  workload: { kind: string; namespace: string; name: string; replicas: number };
  container: { name: string; image: string | null; requestBytes: number | null; limitBytes: number | null };
  containers: string[];
  window: ContainerViewQuery["window"];
  /** the end of the analysis window and of the chart: the clock anchored to the minute */
  now: number;
  analysis: AnalysisOutput | null;
  /** what the what-if replays in the browser (the engine's compact form of the window: no samples, no env values) */
  whatIf: WhatIfBasis | null;
  /** the domain guide's alternative: fewer replicas with more memory each at no more than today's cost, or why not */
  fewerReplicas: FewerReplicas | null;
  /** why there is no analysis, in words for the page (metrics unreachable, none configured) */
  metricsError: string | null;
  /** what the pod spec alone shows (heap settings, memory-backed volumes, missing resources) when there is no analysis to carry it */
  specFindings: Finding[];
  pods: { name: string; latestBytes: number | null; oomKills: number }[];
  chart: { pod: string; points: ChartPoint[]; ooms: number[]; projection: { t0: number; v0: number; t1: number; v1: number } | null } | null;
  incident: ActiveIncident | null;
}

/**
 * Everything the container page shows: spec, its live verdict over 30 days (the one the lists show),
 * and the chart of one pod over the window, all ending at `now` anchored to the minute. Null if not the org's.
 */
export async function getContainerView(
  db: Db,
  query: { orgId: string; cluster: ClusterSummary; namespace: string; kind: string; name: string; container: string; now: number } & ContainerViewQuery,
): Promise<ContainerView | null> {
  const q = { ...query, now: anchorNow(query.now) };
  const found = await getWorkloadWithContainers(db, { orgId: q.orgId, clusterId: q.cluster.id, namespace: q.namespace, kind: q.kind, name: q.name });
  const spec = found?.containers.find((c) => c.name === q.container);
  if (!found || !spec) return null;
  const w = found.workload;
  const ref: ContainerRef = { cluster: q.cluster.slug, namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: spec.name };
  const base = {
    cluster: { slug: q.cluster.slug, name: q.cluster.name, currency: q.cluster.currency, pricePerGibMonth: q.cluster.pricePerGibMonth },
    workload: { kind: w.kind, namespace: w.namespace, name: w.name, replicas: w.replicas },
    container: { name: spec.name, image: spec.image, requestBytes: spec.requestBytes, limitBytes: spec.limitBytes },
    containers: found.containers.map((c) => c.name),
    window: q.window,
    now: q.now,
    incident: await getActiveIncident(db, { orgId: q.orgId, workloadId: w.id, container: spec.name }),
    specFindings: [] as Finding[],
  };
  // without an analysis (no Prometheus, or it failed) the spec from the Kubernetes API still says what it can
  const specOnly = () => specFindings(containerInput(ref, w.replicas, spec));
  const { source, problem } = await sourceForCluster(db, { orgId: q.orgId, slug: q.cluster.slug });
  if (!source) return { ...base, analysis: null, whatIf: null, fewerReplicas: null, metricsError: problem, pods: [], chart: null, specFindings: specOnly() };
  // the verdict every list shows for this container this minute, read as the incident pipeline reads it
  const verdict = liveContainerAnalysis(source, {
    ref, now: q.now, pricing: { currency: q.cluster.currency, perGiBMonth: q.cluster.pricePerGibMonth },
    container: containerInput(ref, w.replicas, spec),
  }).then(
    (d) => ({ analysis: d.analysis, whatIf: d.whatIf, fewerReplicas: d.fewerReplicas, problem: null }),
    (e: Error) => ({ analysis: null, whatIf: null, fewerReplicas: null, problem: `Could not analyse this container's memory history: ${e.message}` }),
  );
  try {
    const [history, { analysis, whatIf, fewerReplicas, problem }] = await Promise.all([
      source.containerHistory(ref, { start: q.now - ANALYSIS_WINDOW_SECONDS, end: q.now, stepSeconds: ANALYSIS_STEP_SECONDS }),
      verdict,
    ]);
    const windowStart = q.now - CHART_WINDOWS[q.window];
    const pods = history.map((p) => ({
      name: p.pod,
      latestBytes: p.workingSet.length ? p.workingSet[p.workingSet.length - 1]! : null,
      oomKills: p.terminations.filter((x) => x.reason === "OOMKilled" && x.at >= windowStart).length,
    }));
    const chosen = pods.find((p) => p.name === q.pod) ?? [...pods].sort((a, b) => b.oomKills - a.oomKills || (b.latestBytes ?? 0) - (a.latestBytes ?? 0))[0];
    let chart: ContainerView["chart"] = null;
    if (chosen) {
      // the 30-day history read for the analysis already serves windows at its step or coarser; only a finer one is read again
      const series =
        CHART_STEP[q.window] >= ANALYSIS_STEP_SECONDS
          ? sliceFrom(history.find((p) => p.pod === chosen.name), windowStart)
          : (await source.containerHistory(ref, { start: windowStart, end: q.now, stepSeconds: CHART_STEP[q.window] })).find((p) => p.pod === chosen.name);
      if (series) {
        const points = downsample(series.t, series.workingSet, series.rss, series.cache, 800);
        const n = series.t.length;
        const last = n > 0 ? { t: series.t[n - 1]!, ws: series.workingSet[n - 1]! } : null;
        const growth = analysis?.growthBytesPerHour;
        const limit = spec.limitBytes;
        const projection =
          analysis?.pattern === "leak" && last && growth && growth > 0 && limit && limit > last.ws
            ? { t0: last.t, v0: last.ws, t1: Math.round(last.t + ((limit - last.ws) / growth) * 3600), v1: limit }
            : null;
        chart = { pod: chosen.name, points, ooms: series.terminations.filter((x) => x.reason === "OOMKilled").map((x) => x.at), projection };
      }
    }
    return { ...base, analysis, whatIf, fewerReplicas, metricsError: problem, pods, chart, specFindings: analysis ? [] : specOnly() };
  } catch (e) {
    return { ...base, analysis: null, whatIf: null, fewerReplicas: null, metricsError: `Could not read this container's memory history: ${(e as Error).message}`, pods: [], chart: null, specFindings: specOnly() };
  }
}

/** The part of a pod's history from `start` on (views, no copies). */
function sliceFrom(p: PodSeries | undefined, start: number): PodSeries | undefined {
  if (!p) return undefined;
  let i = 0;
  while (i < p.t.length && p.t[i]! < start) i++;
  return { ...p, t: p.t.subarray(i), workingSet: p.workingSet.subarray(i), rss: p.rss.subarray(i), cache: p.cache.subarray(i) };
}
