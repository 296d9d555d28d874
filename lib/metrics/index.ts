import { DemoSource } from "./demo-source";
import type { MetricsSource } from "./source";

export * from "./source";

const demo = new DemoSource();

/** The metrics source behind a cluster, or null when the cluster has none configured yet. */
export function getMetricsSource(cluster: { metricsKind: "demo" | "prometheus"; prometheusUrl: string | null }): MetricsSource | null {
  if (cluster.metricsKind === "demo") return demo;
  return null; // Prometheus-backed clusters: see lib/metrics/prometheus (issue 4)
}
