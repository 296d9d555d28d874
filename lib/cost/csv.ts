import { stringify } from "csv-stringify/sync";
import { formatBytes } from "@/lib/format";
import type { CostReport } from "./report";

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is written
 * with a leading apostrophe (OWASP's CSV-injection advice). Only text cells: numbers (a negative
 * change) are written as numbers, which no spreadsheet runs.
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const CSV_COLUMNS = [
  "cluster", "namespace", "kind", "workload", "container", "replicas", "currency",
  "request", "limit", "recommended request", "recommended limit",
  "monthly cost today", "monthly change per replica", "monthly change total", "direction",
  "OOMKills 30d", "OOMKills avoided", "risk",
] as const;

export const CSV_TOTAL_COLUMNS = [
  "currency", "containers", "monthly cost today", "monthly change", "monthly cost after",
  "to add", "containers to add", "OOMKills avoided by adding", "saved", "containers to save", "no change", "without verdict",
] as const;

/**
 * The report as CSV: every row the filters keep, in the page's order, with the value of the report's
 * label key (column "label <key>", e.g. "label team"), then the totals per currency (as the screen shows them).
 */
export function costCsv(report: CostReport): string {
  const rows = report.rows.map((r) => [
    r.cluster, r.namespace, r.workloadKind, r.workloadName, r.container, r.replicas, r.currency,
    formatBytes(r.requestBytes), formatBytes(r.limitBytes), formatBytes(r.recommendedRequestBytes), formatBytes(r.recommendedLimitBytes),
    r.monthlyCost, r.monthlyDeltaPerReplica, r.monthlyDeltaTotal, r.direction,
    r.oomKills30d ?? "", r.oomKillsAvoided ?? "", r.risk ?? "", r.labelValue ?? "",
  ]);
  const totals = report.totals.map((t) => [
    t.currency, t.containers, t.monthlyCost, t.monthlyChange, t.monthlyAfter,
    t.add.amount, t.add.containers, t.add.oomKillsAvoided, t.save.amount, t.save.containers, t.noChange, t.withoutVerdict,
  ]);
  const opts = { cast: { string: neutralizeCell } };
  return stringify([[...CSV_COLUMNS, `label ${report.label}`], ...rows], opts) + "\n" + stringify([["totals"], [...CSV_TOTAL_COLUMNS], ...totals], opts);
}
