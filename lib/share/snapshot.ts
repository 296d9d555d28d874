import type { AnalysisOutput } from "@/lib/analysis";
import type { ChartPoint } from "@/lib/charts/downsample";
import type { ContainerView } from "@/lib/container-view";

/**
 * What a share link shows, frozen when it was made: the chart, the verdict, the recommendation with
 * its backtest and cost, and the fix. Nothing else: no endpoint, credential, image, other incident
 * or internal id. The share page renders only this object.
 */
export interface ShareSnapshot {
  version: 1;
  sharedAt: string;
  sharedBy: string;
  expiresAt: string;
  redacted: boolean;
  subject: { cluster: string; namespace: string; kind: string; workload: string; container: string };
  spec: { requestBytes: number | null; limitBytes: number | null; replicas: number };
  incident: { status: string; oomCount: number; firstSeenAt: string; lastSeenAt: string };
  analysis: AnalysisOutput;
  chart: { points: ChartPoint[]; ooms: number[]; projection: { t0: number; v0: number; t1: number; v1: number } | null; windowSeconds: number } | null;
}

export const SNAPSHOT_KEYS = ["version", "sharedAt", "sharedBy", "expiresAt", "redacted", "subject", "spec", "incident", "analysis", "chart"] as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every string in `value` with each name replaced where it stands as a whole Kubernetes name (not inside a longer one). */
export function replaceNames<T>(value: T, names: [string, string][]): T {
  const patterns = names.filter(([from]) => from.length > 0).map(([from, to]) => [new RegExp(`(?<![A-Za-z0-9-])${escape(from)}(?![A-Za-z0-9-])`, "g"), to] as const);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return patterns.reduce((s, [re, to]) => s.replace(re, to), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** The snapshot of a container view for a share link; `redact` replaces the cluster and namespace names everywhere. */
export function buildSnapshot(
  v: ContainerView & { analysis: AnalysisOutput },
  incident: { status: string; oomCount: number; firstSeenAt: string; lastSeenAt: string },
  opts: { sharedAt: Date; expiresAt: Date; sharedBy: string; redact: boolean; windowSeconds: number },
): ShareSnapshot {
  const snapshot: ShareSnapshot = {
    version: 1,
    sharedAt: opts.sharedAt.toISOString(),
    sharedBy: opts.sharedBy,
    expiresAt: opts.expiresAt.toISOString(),
    redacted: opts.redact,
    subject: { cluster: v.cluster.name, namespace: v.workload.namespace, kind: v.workload.kind, workload: v.workload.name, container: v.container.name },
    spec: { requestBytes: v.container.requestBytes, limitBytes: v.container.limitBytes, replicas: v.workload.replicas },
    incident,
    analysis: v.analysis,
    chart: v.chart ? { points: v.chart.points, ooms: v.chart.ooms, projection: v.chart.projection, windowSeconds: opts.windowSeconds } : null,
  };
  if (!opts.redact) return snapshot;
  const redacted = replaceNames(snapshot, [
    [v.cluster.name, "cluster-a"],
    [v.cluster.slug, "cluster-a"],
    [v.workload.namespace, "namespace-a"],
  ]);
  return { ...redacted, sharedAt: snapshot.sharedAt, expiresAt: snapshot.expiresAt, redacted: true };
}
