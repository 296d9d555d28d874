import Link from "next/link";
import type { AtRiskEntry } from "@/lib/at-risk/compute";
import { formatBytes, formatPercent } from "@/lib/format";
import { formatGrowth, formatTimeToOom } from "@/lib/incidents/verdict-line";
import { containerHref, incidentHref } from "@/lib/links";
import { Badge, PatternBadge } from "@/components/ui/badge";
import { UsageBar } from "@/components/ui/usage-bar";

/** The projection in the guide's words: "growing +12Mi/h, OOMKill in ~8 h". */
export function projectionText(e: Pick<AtRiskEntry, "growthBytesPerHour" | "timeToOomHours">): string | null {
  if (e.timeToOomHours === null || e.growthBytesPerHour === null) return null;
  return `growing ${formatGrowth(e.growthBytesPerHour)}, OOMKill in ${formatTimeToOom(e.timeToOomHours)}`;
}

/** The badges that say why a container is listed. */
export function AtRiskBadges({ e, criticalPercent, warningPercent }: { e: AtRiskEntry; criticalPercent: number; warningPercent: number }) {
  return (
    <span className="flex flex-wrap gap-1">
      {e.level === "critical" ? <Badge tone="critical">critical ≥{criticalPercent}%</Badge> : e.level === "warning" ? <Badge tone="warning">warning ≥{warningPercent}%</Badge> : null}
      {e.timeToOomHours !== null ? <Badge tone={e.projectedWithinHorizon ? "critical" : "info"}>projected to reach its limit</Badge> : null}
      {e.stalling ? <Badge tone="warning">stalling on memory</Badge> : null}
    </span>
  );
}

/** At-risk containers as a list: one row each, the container first, then why and when (phones stack them). */
export function AtRiskRows({ org, rows, settings, compact = false }: { org: string; rows: AtRiskEntry[]; settings: { warningPercent: number; criticalPercent: number }; compact?: boolean }) {
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {rows.map((e) => {
        const projection = projectionText(e);
        const tone = e.timeToOomHours === null ? "" : e.timeToOomHours < 24 ? "text-red-600 dark:text-red-400" : e.timeToOomHours < 72 ? "text-amber-600 dark:text-amber-400" : "";
        return (
          <li key={`${e.cluster}/${e.namespace}/${e.workloadKind}/${e.workloadName}/${e.container}`} data-testid="at-risk-row" className="flex flex-col gap-2 px-4 py-2.5 sm:flex-row sm:items-center sm:gap-4">
            <div className="min-w-0 flex-1">
              <Link href={containerHref(org, e)} title={`${e.workloadName}/${e.container}`} className="block truncate font-mono text-sm text-blue-700 hover:underline dark:text-blue-400">
                {e.workloadName}<span className="text-zinc-500 dark:text-zinc-400">/{e.container}</span>
              </Link>
              <span className="block truncate text-xs text-zinc-500" title={`${e.cluster} · ${e.namespace}`}>
                {e.cluster} · {e.namespace}
                {e.incidentId ? <> · <Link href={incidentHref(org, e.incidentId)} className="text-blue-600 hover:underline dark:text-blue-400">incident</Link></> : null}
              </span>
              {projection ? <span data-testid="at-risk-projection" className={`mt-0.5 block text-xs font-medium ${tone}`}>{projection}</span> : null}
              {!compact ? <span className="mt-1 block"><AtRiskBadges e={e} criticalPercent={settings.criticalPercent} warningPercent={settings.warningPercent} /></span> : null}
            </div>
            <div className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-1 sm:flex-col sm:items-end">
              {e.usageOfLimit !== null ? (
                <span className="flex items-center gap-2">
                  <span className="tabular text-xs text-zinc-500"><span className="font-mono">{formatBytes(e.workingSetBytes)}</span> of <span className="font-mono">{formatBytes(e.limitBytes)}</span></span>
                  <UsageBar ratio={e.usageOfLimit} warning={settings.warningPercent / 100} critical={settings.criticalPercent / 100} />
                </span>
              ) : <span className="text-xs text-zinc-500">no live usage</span>}
              {!compact ? (
                <span className="flex items-center gap-2 text-xs text-zinc-500">
                  {/* PSI said only where there is some: "0% of the time" on every row is noise */}
                  {e.stallRatio !== null && e.stallRatio >= 0.01 ? <span data-testid="at-risk-psi" className={e.stalling ? "font-medium text-amber-700 dark:text-amber-400" : ""}>waits on memory {formatPercent(e.stallRatio)} of the time</span> : null}
                  <PatternBadge pattern={e.pattern} />
                </span>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
