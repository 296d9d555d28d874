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
export interface MetricsSource {
  /** Per-pod working set, RSS and cache of one workload container over the window. */
  containerHistory(ref: ContainerRef, window: SeriesWindow): Promise<PodSeries[]>;
  /** The latest working set of each container (highest pod), keyed by `refKey`. */
  latestWorkingSet(refs: ContainerRef[], at: number): Promise<Map<string, number>>;
}

/** A stable map key for a container reference. */
export const refKey = (r: ContainerRef) => `${r.cluster}/${r.namespace}/${r.workloadKind}/${r.workloadName}/${r.container}`;
