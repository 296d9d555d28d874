import type { AtRiskQuery } from "@/lib/schemas/alerts";
import type { AtRiskClusterState, AtRiskEntry, AtRiskReport } from "./compute";

export interface AtRiskPage {
  now: number;
  rows: AtRiskEntry[];
  total: number;
  page: number;
  pageSize: number;
  /** how many entries of each kind the other filters leave (a row can count in several) */
  counts: { all: number; critical: number; warning: number; leak: number; stalling: number };
  clusters: AtRiskClusterState[];
  /** the filter choices: every cluster and namespace with an entry */
  options: { clusters: string[]; namespaces: string[] };
  settings: AtRiskReport["settings"];
}

/** Whether an entry shows under a severity filter. */
export function matchesSeverity(e: AtRiskEntry, severity: AtRiskQuery["severity"]): boolean {
  switch (severity) {
    case "critical":
      return e.level === "critical";
    case "warning":
      return e.level === "warning";
    case "leak":
      return e.timeToOomHours !== null;
    case "stalling":
      return e.stalling;
    default:
      return true;
  }
}

/** One page of the report under the query's filters, with the counts of each severity. */
export function pageAtRisk(report: AtRiskReport, q: AtRiskQuery): AtRiskPage {
  const scoped = report.entries.filter((e) => (!q.cluster || e.cluster === q.cluster) && (!q.namespace || e.namespace === q.namespace));
  const rows = scoped.filter((e) => matchesSeverity(e, q.severity));
  const count = (s: AtRiskQuery["severity"]) => scoped.filter((e) => matchesSeverity(e, s)).length;
  const start = (q.page - 1) * q.pageSize;
  return {
    now: report.now,
    rows: rows.slice(start, start + q.pageSize),
    total: rows.length,
    page: q.page,
    pageSize: q.pageSize,
    counts: { all: scoped.length, critical: count("critical"), warning: count("warning"), leak: count("leak"), stalling: count("stalling") },
    clusters: report.clusters,
    options: {
      clusters: [...new Set(report.entries.map((e) => e.cluster))].sort(),
      namespaces: [...new Set(report.entries.filter((e) => !q.cluster || e.cluster === q.cluster).map((e) => e.namespace))].sort(),
    },
    settings: report.settings,
  };
}
