import type { AnalysisOutput } from "@/lib/analysis/types";
import { formatBytes, formatPercent } from "@/lib/format";
import { Badge, PatternBadge } from "@/components/ui/badge";
import { formatGrowth, formatTimeToOom } from "@/lib/incidents/verdict-line";


// the lists write the prediction with the same function, so the page and the lists never disagree
const hours = (h: number | null) => (h === null ? "—" : formatTimeToOom(h));

function Fact({ label, value, tone }: { label: string; value: React.ReactNode; tone?: "critical" | "warning" }) {
  const color = tone === "critical" ? "text-red-600 dark:text-red-400" : tone === "warning" ? "text-amber-600 dark:text-amber-400" : "";
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`tabular mt-0.5 font-mono text-lg font-semibold ${color}`}>{value}</dd>
    </div>
  );
}

export function Verdict({ a }: { a: AnalysisOutput }) {
  const growth = a.growthBytesPerHour;
  // a heap ceiling at or above today's limit is the cause the summary names: say it beside the pattern
  const heapAtLimit = a.findings.some((f) => /^(jvm_heap|node_heap|go_memlimit)_exceeds_limit$/.test(f.code));
  const ttoTone = a.timeToOomHours !== null && a.timeToOomHours < 24 ? "critical" : a.timeToOomHours !== null && a.timeToOomHours < 72 ? "warning" : undefined;
  return (
    <div className="px-4 py-4">
      <div className="flex flex-wrap items-center gap-2">
        <PatternBadge pattern={a.pattern} />
        {heapAtLimit ? <Badge tone="critical">heap ceiling ≥ limit</Badge> : null}
        <span className="text-xs text-zinc-500">confidence {formatPercent(a.confidence)}</span>
        {a.alert !== "none" ? <Badge tone={a.alert === "critical" ? "critical" : "warning"}>{a.alert === "critical" ? "critical: ≥95% of limit" : "warning: ≥85% of limit"}</Badge> : null}
      </div>
      <p className="mt-3 text-lg leading-snug font-medium" data-testid="verdict-summary">{a.summary}</p>
      <dl className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-5">
        <Fact label="Growth" value={growth === null ? "—" : formatGrowth(growth)} tone={a.pattern === "leak" ? "critical" : undefined} />
        <Fact label="Next OOMKill" value={hours(a.timeToOomHours)} tone={ttoTone} />
        <Fact label="Usage of limit" value={formatPercent(a.usageOfLimit)} tone={a.alert === "none" ? undefined : a.alert} />
        {/* a measured score of 1 still reads 99%: no statistical verdict is certain (the pattern's confidence is capped the same way) */}
        <Fact label="Leak confidence" value={formatPercent(Math.min(0.99, a.leakConfidence))} />
        <Fact label="OOMKills · 30 d" value={a.evidence.oomKills} tone={a.evidence.oomKills > 0 ? "critical" : undefined} />
      </dl>
      <div className="mt-5 border-t border-zinc-100 pt-3 dark:border-zinc-800">
        <div className="text-xs text-zinc-500">Working set over {Math.round(a.evidence.windowHours / 24)} days, all pods</div>
        <dl className="tabular mt-1 grid grid-cols-5 gap-2 font-mono text-sm">
          {(["mean", "p50", "p95", "p99", "max"] as const).map((k) => (
            <div key={k}><dt className="font-sans text-xs text-zinc-500">{k}</dt><dd>{formatBytes(a.stats[k])}</dd></div>
          ))}
        </dl>
      </div>
      <p className="mt-3 text-xs text-zinc-500">
        Based on {a.evidence.samples.toLocaleString("en-US")} samples from {a.evidence.pods} pod{a.evidence.pods === 1 ? "" : "s"} over {Math.round(a.evidence.windowHours / 24)} days, {a.evidence.cycles} restart cycle{a.evidence.cycles === 1 ? "" : "s"}.
      </p>
    </div>
  );
}
