import type { SeriesWindow, Termination } from "@/lib/scenarios/types";

/** One workload container in one cluster, as the metrics backends name it. */
export interface ContainerRef {
  cluster: string;
  namespace: string;
  workloadKind: string;
  workloadName: string;
  container: string;
}

/** One pod's memory history for a container. */
export interface PodSeries {
  pod: string;
  t: Float64Array;
  workingSet: Float64Array;
  rss: Float64Array;
  cache: Float64Array;
  terminations: Termination[];
}

/**
 * Where memory history comes from. The demo's simulated clusters and a real Prometheus
 * implement the same interface, so pages, the incident pipeline and the engine cannot tell them apart.
 */
/** Statistics of the raw samples, from a source whose history is a coarser summary of them. */
export interface RawStats {
  stats: { mean: number; p50: number; p95: number; p99: number; max: number };
  samples: number;
}

/** What a container's verdict is computed from: its pods' history and, where the source summarises it, the raw samples' statistics. */
export interface AnalysisHistory {
  pods: PodSeries[];
  rawStats?: RawStats;
}

export interface MetricsSource {
  /** Per-pod working set, RSS and cache of one workload container over the window. */
  containerHistory(ref: ContainerRef, window: SeriesWindow): Promise<PodSeries[]>;
  /**
   * The history a container's verdict is computed from, read exactly as the incident pipeline reads
   * it (Prometheus: the whole-cluster read scoped to the container), so its page and its incident agree.
   */
  analysisHistory(ref: ContainerRef, window: SeriesWindow): Promise<AnalysisHistory>;
  /** The latest working set of each container (highest pod), keyed by `refKey`. */
  latestWorkingSet(refs: ContainerRef[], at: number): Promise<Map<string, number>>;
  /**
   * Memory pressure (PSI, `container_pressure_memory_waiting_seconds_total`, Kubernetes 1.33+ on cgroup
   * v2): the share of the last 5 minutes each container (highest pod) spent waiting for memory, keyed by
   * `refKey`; null when the cluster does not export it.
   */
  memoryStall?(refs: ContainerRef[], at: number): Promise<Map<string, number> | null>;
}

/** A stable map key for a container reference. */
export const refKey = (r: ContainerRef) => `${r.cluster}/${r.namespace}/${r.workloadKind}/${r.workloadName}/${r.container}`;
