import { analyzeContainer, analyzeContainerDetailed, type AnalysisOutput, type ContainerAnalysis, type ContainerInput } from "@/lib/analysis";
import type { ClusterContainerHistory } from "@/lib/metrics/prometheus-source";
import type { ContainerRef, MetricsSource, PodSeries } from "@/lib/metrics/source";

/** The analysis window: 30 days at 5-minute steps (the domain guide's 7-30 day history). */
export const ANALYSIS_WINDOW_SECONDS = 30 * 86_400;
export const ANALYSIS_STEP_SECONDS = 300;
/**
 * What the analysis window's end is anchored to: a verdict read at 10:42:05 and one read at 10:42:55
 * cover the same window (the same samples at the same steps), so they give the same request, limit,
 * cost and prediction.
 */
export const ANALYSIS_ANCHOR_SECONDS = 60;

/** The analysis window's end for a clock reading (unix seconds): the start of its minute. */
export const anchorNow = (nowSeconds: number) => Math.floor(nowSeconds / ANALYSIS_ANCHOR_SECONDS) * ANALYSIS_ANCHOR_SECONDS;

/** The clock now, anchored as verdicts are (unix seconds): what pages and lists date their numbers by. */
export const anchoredNow = () => anchorNow(Date.now() / 1000);

/**
 * How long a page or API waits for this minute's fleet-wide computation (at risk, cost) before it shows
 * the last finished one, dated: a new minute's first load stays within its budget, the recomputation goes on.
 */
export const FRESH_WAIT_MS = 150;

export interface ContainerSpecRow {
  name: string;
  image: string | null;
  command: string[] | null;
  args: string[] | null;
  env: Record<string, string> | null;
  requestBytes: number | null;
  limitBytes: number | null;
  /** memory-backed emptyDirs it mounts (known from the Kubernetes API only) */
  memoryVolumes?: { name: string; mountPath: string; sizeLimitBytes: number | null }[] | null;
}

/** The engine's input description of a workload container. */
export function containerInput(ref: ContainerRef, replicas: number, spec: ContainerSpecRow): ContainerInput {
  return {
    cluster: ref.cluster, namespace: ref.namespace, workload: { kind: ref.workloadKind, name: ref.workloadName, replicas },
    name: spec.name, image: spec.image, command: spec.command, args: spec.args, env: spec.env,
    requestBytes: spec.requestBytes, limitBytes: spec.limitBytes, memoryVolumes: spec.memoryVolumes ?? null,
  };
}

type SourceQuery = { ref: ContainerRef; container: ContainerInput; now: number; pricing: { currency: string; perGiBMonth: number } | null };

/** Analyses a workload container from the history `source` gives its verdicts (30 days up to `now`): what its page shows. */
export async function analyzeFromSource(source: MetricsSource, q: SourceQuery): Promise<AnalysisOutput> {
  const h = await source.analysisHistory(q.ref, { start: q.now - ANALYSIS_WINDOW_SECONDS, end: q.now, stepSeconds: ANALYSIS_STEP_SECONDS });
  return analyzeContainer({ now: q.now, container: q.container, pods: enginePods(h.pods), rawStats: h.rawStats, pricing: q.pricing });
}

/** The same verdict with the container page's what-if basis and fewer-replicas alternative. */
export async function analyzeFromSourceDetailed(source: MetricsSource, q: SourceQuery): Promise<ContainerAnalysis> {
  const h = await source.analysisHistory(q.ref, { start: q.now - ANALYSIS_WINDOW_SECONDS, end: q.now, stepSeconds: ANALYSIS_STEP_SECONDS });
  return analyzeContainerDetailed({ now: q.now, container: q.container, pods: enginePods(h.pods), rawStats: h.rawStats, pricing: q.pricing });
}

const enginePods = (pods: PodSeries[]) => pods.map((p) => ({ name: p.pod, t: p.t, workingSet: p.workingSet, terminations: p.terminations }));

/** Analyses one container of a whole-cluster Prometheus read (CLI, sync, bench): spec from kube-state-metrics, Prometheus's raw-sample statistics. */
export function analyzeDiscovered(h: ClusterContainerHistory, q: { now: number; cluster?: string | null; pricing?: { currency: string; perGiBMonth: number } | null }): AnalysisOutput {
  const { workload: w, container: c } = h;
  return analyzeContainer({
    now: q.now,
    rawStats: h.rawStats,
    container: {
      cluster: q.cluster ?? undefined, namespace: w.namespace, workload: { kind: w.kind, name: w.name, replicas: Math.max(1, w.replicas) },
      name: c.name, image: c.image, requestBytes: c.requestBytes, limitBytes: c.limitBytes,
    },
    pods: enginePods(h.pods),
    pricing: q.pricing ?? undefined,
  });
}
