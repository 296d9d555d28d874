import { formatPercent } from "@/lib/format";

/** Usage of limit as a bar: amber from 85%, red from 95% (the domain guide's alert levels, or the organization's). */
export function UsageBar({ ratio, warning = 0.85, critical = 0.95 }: { ratio: number; warning?: number; critical?: number }) {
  const color = ratio >= critical ? "bg-red-500" : ratio >= warning ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div className="flex items-center gap-2">
      <div className="h-1.5 w-24 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden>
        <div className={`h-full ${color}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />
      </div>
      <span className="tabular w-10 text-right text-xs">{formatPercent(ratio)}</span>
    </div>
  );
}
