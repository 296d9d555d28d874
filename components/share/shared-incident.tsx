"use client";
import { useTimeFormat } from "@/components/time-zone";
import type { ShareSnapshot } from "@/lib/share/snapshot";
import { Card } from "@/components/ui/card";
import { MemoryChart } from "@/components/charts/memory-chart";
import { Verdict } from "@/components/containers/verdict";
import { RecommendationPanel } from "@/components/containers/recommendation";
import { FixPanel } from "@/components/containers/fix";
import { FindingsList } from "@/components/containers/findings";


/** The read-only incident a share link shows: everything comes from the frozen snapshot, nothing from the organization. */
export function SharedIncident({ s }: { s: ShareSnapshot }) {
  const { formatTime: day } = useTimeFormat();
  const a = s.analysis;
  return (
    <main className="mx-auto max-w-6xl space-y-5 px-3 py-5 sm:px-6">
      <header>
        <div className="text-sm font-semibold tracking-tight"><span className="text-red-600">▲</span> Headroom · shared analysis</div>
        <p className="mt-0.5 text-xs text-zinc-500">
          Shared by {s.sharedBy} on {day(s.sharedAt)} · a snapshot, not live · link expires {day(s.expiresAt)}
          {s.redacted ? " · cluster and namespace names hidden" : ""}
        </p>
        <h1 className="mt-3 break-all font-mono text-xl font-semibold">
          {s.subject.workload}<span className="text-zinc-400">/{s.subject.container}</span>
        </h1>
        <p className="text-sm text-zinc-500">
          {s.subject.kind} in <span className="font-mono">{s.subject.namespace}</span> on <span className="font-mono">{s.subject.cluster}</span> · {s.spec.replicas} replica{s.spec.replicas === 1 ? "" : "s"} ·{" "}
          incident {s.incident.status}, {s.incident.oomCount} OOMKill{s.incident.oomCount === 1 ? "" : "s"} since {day(s.incident.firstSeenAt)}
        </p>
      </header>
      <div className="grid gap-5 xl:grid-cols-3">
        <Card title="Verdict" className="xl:col-span-2"><Verdict a={a} /></Card>
        <Card title="Recommendation"><RecommendationPanel a={a} requestBytes={s.spec.requestBytes} limitBytes={s.spec.limitBytes} /></Card>
      </div>
      {s.chart ? (
        <Card title="Memory · 7 days before it was shared">
          <div className="px-2 py-3">
            <MemoryChart
              points={s.chart.points} ooms={s.chart.ooms} limitBytes={s.spec.limitBytes} requestBytes={s.spec.requestBytes}
              p95Bytes={a.stats.p95} projection={s.chart.projection} windowSeconds={s.chart.windowSeconds}
            />
          </div>
        </Card>
      ) : null}
      {a.recommendation ? <Card title="The fix"><FixPanel a={a} /></Card> : null}
      {a.findings.length ? <Card title="Findings"><FindingsList findings={a.findings} /></Card> : null}
      <p className="pb-6 text-center text-xs text-zinc-500">Headroom: why Kubernetes containers get OOMKilled, and the exact fix.</p>
    </main>
  );
}
