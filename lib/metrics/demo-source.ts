import { DEMO_FLEET, fleetPods, fleetSpec, type FleetCluster } from "@/lib/scenarios/demo-fleet";
import { generateSeries } from "@/lib/scenarios";
import type { SeriesWindow } from "@/lib/scenarios/types";
import { refKey, type AnalysisHistory, type ContainerRef, type MetricsSource, type PodSeries } from "./source";

/** Simulated clusters: memory history computed from the demo fleet's scenario models. */
export class DemoSource implements MetricsSource {
  constructor(private readonly fleet: FleetCluster[] = DEMO_FLEET) {}

  private find(ref: ContainerRef) {
    const cluster = this.fleet.find((c) => c.slug === ref.cluster);
    const workload = cluster?.workloads.find(
      (w) => w.namespace === ref.namespace && w.name === ref.workloadName && w.kind === ref.workloadKind,
    );
    const container = workload?.containers.find((c) => c.name === ref.container);
    return cluster && workload && container ? { cluster, workload, container } : null;
  }

  async containerHistory(ref: ContainerRef, window: SeriesWindow): Promise<PodSeries[]> {
    const found = this.find(ref);
    if (!found) return [];
    const { cluster, workload, container } = found;
    return fleetPods(cluster.slug, workload).map((pod) => ({
      pod: pod.name,
      ...generateSeries(fleetSpec(cluster.slug, workload, container, pod), window),
    }));
  }

  async analysisHistory(ref: ContainerRef, window: SeriesWindow): Promise<AnalysisHistory> {
    return { pods: await this.containerHistory(ref, window) };
  }

  async latestWorkingSet(refs: ContainerRef[], at: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const ref of refs) {
      const pods = await this.containerHistory(ref, { start: at - 120, end: at, stepSeconds: 30 });
      let latest = -1;
      for (const p of pods) if (p.workingSet.length > 0) latest = Math.max(latest, p.workingSet[p.workingSet.length - 1]!);
      if (latest >= 0) out.set(refKey(ref), latest);
    }
    return out;
  }
}
