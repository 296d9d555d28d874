"use client";
import { useId, useMemo, useState } from "react";
import type { AnalysisOutput } from "@/lib/analysis/types";
import { formatQuantity, Mi, parseMemoryQuantity } from "@/lib/analysis/quantity";
import { parseWhatIf, runWhatIf, type WhatIfBasis, type WhatIfResult } from "@/lib/analysis/what-if";
import { formatBytes, formatMoney } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { CodeBlock } from "@/components/ui/copy-button";

const STEP_MI = 16;
const quantityOf = (bytes: number | null) => (bytes === null ? "" : formatQuantity(bytes));

/**
 * The what-if: a request and a limit typed or dragged, replayed in the browser by the engine's own
 * backtest, heap-ceiling rule, cost rule and command (lib/analysis/what-if.ts), from the compact basis
 * the server computed with the verdict. Nothing goes back to the server while typing.
 */
export function WhatIfPanel({ basis, a, current }: { basis: WhatIfBasis; a: AnalysisOutput; current: { requestBytes: number | null; limitBytes: number | null } }) {
  const rec = a.recommendation;
  const start = { request: quantityOf(current.requestBytes ?? current.limitBytes), limit: quantityOf(current.limitBytes) };
  const [request, setRequest] = useState(start.request);
  const [limit, setLimit] = useState(start.limit);
  const parsed = useMemo(() => parseWhatIf(request, limit), [request, limit]);
  const result = useMemo(() => ("values" in parsed ? runWhatIf(basis, parsed.values) : null), [basis, parsed]);
  const errors = "errors" in parsed ? parsed.errors : {};
  // the slider spans up to twice the largest of today's limit, the recommendation and the peak
  const peak = Math.max(0, ...basis.backtest.pods.map((p) => p.max));
  const maxMi = Math.max(1024, Math.ceil((2 * Math.max(current.limitBytes ?? 0, rec?.limitBytes ?? 0, peak)) / Mi / 256) * 256);
  const atRecommended = !!rec && "values" in parsed && parsed.values.limitBytes === rec.limitBytes && parsed.values.requestBytes === rec.requestBytes;

  return (
    <div className="space-y-4 px-4 py-4 text-sm">
      <p className="text-zinc-500">
        Type or drag a request and a limit: the last 30 days are replayed against them by the same engine as the recommendation, in your browser.
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        <QuantityField label="Limit" value={limit} onChange={setLimit} error={errors.limit} maxMi={maxMi} />
        <QuantityField label="Request" value={request} onChange={setRequest} error={errors.request} maxMi={maxMi} />
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="button" onClick={() => { setRequest(start.request); setLimit(start.limit); }} className="min-h-9 rounded-md border border-zinc-300 px-3 py-1.5 text-xs hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Reset to current
        </button>
        {rec ? (
          <button type="button" onClick={() => { setRequest(rec.request); setLimit(rec.limit); }} className="min-h-9 rounded-md border border-zinc-300 px-3 py-1.5 text-xs hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
            Use recommended ({rec.request} / {rec.limit})
          </button>
        ) : null}
      </div>
      {current.limitBytes === null ? <p className="text-xs text-amber-700 dark:text-amber-400">The container has no memory limit today: enter one to see what it would have done.</p> : null}
      {result ? <WhatIfOutcome r={result} a={a} atRecommended={atRecommended} /> : <p className="text-zinc-500" data-testid="what-if-invalid">Fix the values above to see the backtest, the heap check and the cost.</p>}
    </div>
  );
}

function QuantityField({ label, value, onChange, error, maxMi }: { label: string; value: string; onChange: (v: string) => void; error?: string; maxMi: number }) {
  const id = useId();
  const parsed = useMemo(() => parseMemoryQuantity(value), [value]);
  const mi = "bytes" in parsed ? Math.min(maxMi, Math.max(STEP_MI, Math.round(parsed.bytes / Mi))) : STEP_MI;
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="text-xs font-medium text-zinc-500">{label}</label>
      <input
        id={id} type="text" inputMode="text" autoComplete="off" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}
        className={`mt-1 block w-full rounded-md border bg-white px-2.5 py-1.5 font-mono text-sm dark:bg-zinc-950 ${error ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
      />
      <input
        type="range" aria-label={`${label} (slider)`} min={STEP_MI} max={maxMi} step={STEP_MI} value={mi}
        onChange={(e) => onChange(formatQuantity(Number(e.target.value) * Mi))}
        className="mt-2 block w-full accent-blue-600"
      />
      {error ? <p id={`${id}-error`} className="mt-1 text-xs text-red-700 dark:text-red-400">{error}</p> : null}
    </div>
  );
}

function WhatIfOutcome({ r, a, atRecommended }: { r: WhatIfResult; a: AnalysisOutput; atRecommended: boolean }) {
  const bt = r.backtest;
  const all = bt.avoidedOomKills === bt.observedOomKills;
  const cost = r.cost;
  const lowerHeap = r.ceilings.some((c) => c.afterBytes !== c.bytes);
  return (
    <div className="space-y-3" aria-live="polite">
      <div className="grid gap-3 md:grid-cols-2">
        <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800" data-testid="what-if-backtest">
          <div className="text-xs text-zinc-500">Backtest · the last 30 days replayed</div>
          <div className="tabular mt-0.5">
            {bt.observedOomKills > 0 ? (
              <span className={all ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400"}>{bt.avoidedOomKills} of {bt.observedOomKills} OOMKills avoided</span>
            ) : <span>no OOMKills to avoid</span>}
            <span className="text-zinc-500"> · tightest headroom </span>
            <span className={bt.tightestHeadroomBytes < 0 ? "text-red-700 dark:text-red-400" : ""}>
              {bt.tightestHeadroomBytes < 0 ? `exceeded by ${formatBytes(-bt.tightestHeadroomBytes)}` : `${formatBytes(bt.tightestHeadroomBytes)} (${Math.round(bt.tightestHeadroomRatio * 100)}%)`}
            </span>
          </div>
          <p className="mt-1 text-xs text-zinc-500">{bt.note}</p>
        </div>
        <div className="rounded-md bg-zinc-50 px-3 py-2 dark:bg-zinc-800/60" data-testid="what-if-cost">
          <div className="text-xs text-zinc-500">Cost change (on the request)</div>
          {cost ? (
            cost.monthlyDeltaPerReplica === 0 ? (
              <div className="mt-0.5">No change: the request stays what it is today{r.today ? ` (${formatMoney(r.today.monthlyTotal, r.today.currency)}/mo for ${r.today.replicas})` : ""}.</div>
            ) : (
              <div className="tabular mt-0.5 font-mono">
                <span className={cost.monthlyDeltaPerReplica > 0 ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}>{formatMoney(cost.monthlyDeltaPerReplica, cost.currency, true)}/mo</span> per replica ·{" "}
                <span className="font-semibold">{formatMoney(cost.monthlyDeltaTotal, cost.currency, true)}/mo</span> for {cost.replicas} replica{cost.replicas === 1 ? "" : "s"}
              </div>
            )
          ) : <div className="mt-0.5 text-zinc-500">No memory price for this cluster: set one in its settings.</div>}
          {cost && r.today && cost.monthlyDeltaPerReplica !== 0 ? <div className="mt-0.5 text-xs text-zinc-500">today {formatMoney(r.today.monthlyTotal, r.today.currency)}/mo</div> : null}
        </div>
      </div>
      {r.ceilings.length > 0 ? (
        <ul className="space-y-1.5" aria-label="Heap ceiling check">
          {r.ceilings.map((c) => (
            <li key={c.runtime} className="flex items-start gap-2">
              <Badge tone={c.status === "exceeds" ? "critical" : c.status === "near" ? "warning" : "ok"}>{c.status === "exceeds" ? "heap ≥ limit" : c.status === "near" ? "heap near limit" : "heap ok"}</Badge>
              <span>{c.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {r.warnings.map((w) => <p key={w} className="text-amber-700 dark:text-amber-400">{w}</p>)}
      {r.unchanged ? (
        <p className="text-zinc-500">These are today&apos;s request and limit: nothing to apply.</p>
      ) : r.kubectl ? (
        <div className="space-y-2">
          <CodeBlock code={r.kubectl} label={lowerHeap && atRecommended && a.commands?.env ? "1. kubectl: resources (what-if)" : "kubectl (what-if)"} copyLabel="Copy what-if command" />
          {lowerHeap ? (atRecommended && a.commands?.env ? <CodeBlock code={a.commands.env} label="2. kubectl: heap setting" copyLabel="Copy heap command" /> : <p className="text-xs text-amber-700 dark:text-amber-400">Change the heap setting as the check above says, in the same rollout.</p>) : null}
        </div>
      ) : (
        <p className="text-zinc-500">A bare Pod&apos;s template cannot be changed: change the manifest that creates it.</p>
      )}
    </div>
  );
}
