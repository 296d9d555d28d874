import type { FewerReplicas } from "@/lib/analysis/alternatives";
import type { AnalysisOutput } from "@/lib/analysis/types";
import { formatBytes, formatMoney } from "@/lib/format";
import { CodeBlock } from "@/components/ui/copy-button";

export function RecommendationPanel({ a, requestBytes, limitBytes, fewerReplicas = null }: { a: AnalysisOutput; requestBytes: number | null; limitBytes: number | null; fewerReplicas?: FewerReplicas | null }) {
  const rec = a.recommendation;
  if (!rec) return <p className="px-4 py-4 text-sm text-zinc-500">No recommendation without enough data.</p>;
  const row = (label: string, current: number | null, next: number) => (
    <tr className="border-t border-zinc-100 dark:border-zinc-800">
      <th scope="row" className="py-1.5 pr-3 text-left font-normal text-zinc-500">{label}</th>
      <td className="py-1.5 pr-3 text-right font-mono">{current === null ? <span className="text-amber-600">none</span> : formatBytes(current)}</td>
      <td className={`py-1.5 text-right font-mono font-semibold ${current !== null && next === current ? "" : "text-emerald-700 dark:text-emerald-400"}`}>{formatBytes(next)}</td>
    </tr>
  );
  const cost = a.cost;
  const bt = a.backtest;
  return (
    <div className="space-y-3 px-4 py-4 text-sm">
      <table className="tabular w-full">
        <thead className="text-xs text-zinc-500">
          <tr><th /><th scope="col" className="pb-1 pl-3 text-right font-medium">current</th><th scope="col" className="pb-1 pl-3 text-right font-medium">recommended</th></tr>
        </thead>
        <tbody>
          {row("request", requestBytes, rec.requestBytes)}
          {row("limit", limitBytes, rec.limitBytes)}
          {a.heapCeilings.map((h) => (
            <tr key={h.runtime} className="border-t border-zinc-100 dark:border-zinc-800">
              <th scope="row" className="py-1.5 pr-3 text-left font-normal text-zinc-500">{h.runtime === "go" ? "GOMEMLIMIT" : `${h.runtime === "jvm" ? "JVM" : "Node.js"} heap`}{h.variable && h.runtime !== "go" ? <span className="font-mono text-xs"> ({h.variable})</span> : null}</th>
              <td className="py-1.5 pr-3 text-right font-mono">{h.currentBytes === null ? h.setting : formatBytes(h.currentBytes)}</td>
              <td className={`py-1.5 text-right font-mono font-semibold ${h.lowered ? "text-emerald-700 dark:text-emerald-400" : ""}`}>{h.recommendedBytes === null ? "—" : formatBytes(h.recommendedBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-zinc-500">{rec.profile} profile · {rec.basis}</p>
      {rec.noChange ? <p className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-300">Sizing is right: nothing to change, no cost change.</p> : null}
      {cost ? (
        <div className="rounded-md bg-zinc-50 px-3 py-2 dark:bg-zinc-800/60">
          <div className="text-xs text-zinc-500">Cost impact (on the effective request)</div>
          {cost.monthlyDeltaPerReplica === 0 ? (
            <div className="mt-0.5">No change: the request, which is what the scheduler reserves and you pay for, stays {formatBytes(rec.requestBytes)}.</div>
          ) : (
          <div className="tabular mt-0.5 font-mono">
            <span className={cost.monthlyDeltaPerReplica > 0 ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}>{formatMoney(cost.monthlyDeltaPerReplica, cost.currency, true)}/mo</span> per replica ·{" "}
            <span className="font-semibold">{formatMoney(cost.monthlyDeltaTotal, cost.currency, true)}/mo</span> for {cost.replicas} replica{cost.replicas === 1 ? "" : "s"}
          </div>
          )}
        </div>
      ) : null}
      {bt ? (
        <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
          <div className="text-xs text-zinc-500">Backtest · the last 30 days replayed at {rec.limit}</div>
          <div className="tabular mt-0.5">
            {bt.observedOomKills > 0 ? (
              <span className={bt.avoidedOomKills === bt.observedOomKills ? "text-emerald-700 dark:text-emerald-400" : "text-amber-700 dark:text-amber-400"}>
                {bt.avoidedOomKills} of {bt.observedOomKills} OOMKills avoided
              </span>
            ) : <span>no OOMKills to avoid</span>}
            {bt.avoidedOomKills === bt.observedOomKills ? <span className="text-zinc-500"> · tightest headroom {formatBytes(Math.max(0, bt.tightestHeadroomBytes))} ({Math.max(0, Math.round(bt.tightestHeadroomRatio * 100))}%)</span> : null}
          </div>
          <p className="mt-1 text-xs text-zinc-500">{bt.note}</p>
        </div>
      ) : null}
      {fewerReplicas ? <FewerReplicasNote f={fewerReplicas} requestBytes={requestBytes ?? limitBytes} recommendedBytes={rec.requestBytes} /> : null}
    </div>
  );
}

/** The domain guide's alternative with its equal-cost arithmetic, or the reason it is not offered. */
function FewerReplicasNote({ f, requestBytes, recommendedBytes }: { f: FewerReplicas; requestBytes: number | null; recommendedBytes: number }) {
  if (!f.offered) {
    return (
      <p className="text-xs text-zinc-500" data-testid="fewer-replicas">
        <span className="font-medium">Fewer replicas with more memory each: not offered.</span> {f.reason}
      </p>
    );
  }
  const money = (v: number) => `${formatMoney(v, f.currency)}/mo`;
  const delta = f.alternativeMonthly - f.todayMonthly;
  return (
    <div className="space-y-2 rounded-md border border-blue-200 px-3 py-2 dark:border-blue-900" data-testid="fewer-replicas">
      <div className="text-xs text-zinc-500">Or, at no more than today&apos;s cost: fewer replicas with more memory each</div>
      <p>
        <span className="font-semibold">{f.fromReplicas} → {f.replicas} replicas</span> at request <span className="font-mono">{f.request}</span> / limit <span className="font-mono">{f.limit}</span>
      </p>
      <table className="tabular w-full text-xs">
        <tbody>
          <tr><th scope="row" className="py-0.5 pr-2 text-left font-normal text-zinc-500">today</th><td className="py-0.5 font-mono">{f.fromReplicas} × {formatBytes(requestBytes)}</td><td className="py-0.5 text-right font-mono">{money(f.todayMonthly)}</td></tr>
          <tr><th scope="row" className="py-0.5 pr-2 text-left font-normal text-zinc-500">recommended</th><td className="py-0.5 font-mono">{f.fromReplicas} × {formatBytes(recommendedBytes)}</td><td className="py-0.5 text-right font-mono">{money(f.recommendedMonthly)}</td></tr>
          <tr className="font-semibold"><th scope="row" className="py-0.5 pr-2 text-left font-normal text-zinc-500">this alternative</th><td className="py-0.5 font-mono">{f.replicas} × {f.request}</td><td className="py-0.5 text-right font-mono">{money(f.alternativeMonthly)} ({delta === 0 ? "±" : ""}{formatMoney(delta, f.currency, delta !== 0)})</td></tr>
        </tbody>
      </table>
      <p className="text-xs text-zinc-500">Sizing: {f.basis}. Check that the CPU keeps up with {f.loadFactor}× the load per pod; if a HorizontalPodAutoscaler sets the replicas, change its minReplicas and maxReplicas instead of scaling.</p>
      {f.commands.resources ? <CodeBlock code={[f.commands.resources, f.commands.env, f.commands.scale].filter(Boolean).join("\n")} label="kubectl: resources first, then scale down" copyLabel="Copy commands" /> : null}
    </div>
  );
}

