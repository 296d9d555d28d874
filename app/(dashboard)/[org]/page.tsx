import type { Metadata } from "next";
import { formatClockNamed } from "@/lib/time-zone";
import { requestTimeZone } from "@/lib/time-zone-server";
import Link from "next/link";
import { Suspense } from "react";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { getOverviewCounts, type OverviewCounts } from "@/lib/queries/overview";
import { anchoredNow, FRESH_WAIT_MS } from "@/lib/incidents/analyze";
import { listOffendersWithVerdicts } from "@/lib/incidents/list-verdicts";
import { recentAtRisk } from "@/lib/at-risk/compute";
import { recentCostSummary } from "@/lib/cost/analyses";
import { formatAgo, formatBytes, formatMoney } from "@/lib/format";
import { containerHref } from "@/lib/links";
import { Card, EmptyState, Skeleton, StatCard } from "@/components/ui/card";
import { PatternBadge, StatusBadge } from "@/components/ui/badge";
import { UsageBar } from "@/components/ui/usage-bar";
import { DailyOomsChart } from "@/components/charts/daily-ooms-chart";
import { VerdictText } from "@/components/incidents/verdict-text";
import { projectionText } from "@/components/at-risk/at-risk-rows";

export const metadata: Metadata = { title: "Overview" };


export default async function OverviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  // anchored like every verdict: reloads within a minute show the same numbers
  const now = new Date(anchoredNow() * 1000);
  // one statement for the header, the stat cards and the chart; every other part streams in on its own
  const counts = getOverviewCounts(getDb(), { orgId: org.id, now });
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <h1 className="text-xl font-semibold">What is dying, and why</h1>
        <Suspense fallback={<p className="text-sm text-zinc-500">Counting…</p>}>
          <Subtitle counts={counts} now={now} />
        </Suspense>
      </div>
      <Suspense fallback={<div className="grid grid-cols-2 gap-3 lg:grid-cols-4" aria-busy="true">{[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-20" />)}</div>}>
        <Stats counts={counts} slug={slug} />
      </Suspense>
      <Suspense fallback={null}>
        <CostLine orgId={org.id} slug={slug} now={now} />
      </Suspense>
      <div className="grid gap-5 xl:grid-cols-5">
        <Suspense fallback={<Card title="Top offenders · OOMKills in 30 days" className="min-w-0 xl:col-span-3"><div className="space-y-2 p-4" aria-busy="true">{[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-10" />)}</div></Card>}>
          <TopOffenders orgId={org.id} slug={slug} now={now} />
        </Suspense>
        <Suspense fallback={<Card title="Most at risk · soonest OOMKill first" className="min-w-0 xl:col-span-2"><div className="space-y-2 p-4" aria-busy="true">{[0, 1, 2].map((i) => <Skeleton key={i} className="h-10" />)}</div></Card>}>
          <MostAtRisk orgId={org.id} slug={slug} now={now} />
        </Suspense>
      </div>
      <Card title="OOMKills per day · last 30 days">
        <div className="px-2 py-3">
          <Suspense fallback={<Skeleton className="h-48" />}>
            <Daily counts={counts} />
          </Suspense>
        </div>
      </Card>
    </div>
  );
}

async function Subtitle({ counts, now }: { counts: Promise<OverviewCounts>; now: Date }) {
  const c = await counts;
  return (
    <p className="text-sm text-zinc-500">
      {c.clusters} clusters · {c.workloads} workloads · updated {formatClockNamed(now, await requestTimeZone())}
    </p>
  );
}

async function Stats({ counts: pending, slug }: { counts: Promise<OverviewCounts>; slug: string }) {
  const counts = await pending;
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <StatCard label="OOMKills · 24 h" value={counts.ooms24h} tone={counts.ooms24h > 0 ? "critical" : "ok"} />
      <StatCard label="OOMKills · 7 d" value={counts.ooms7d} />
      <StatCard label="OOMKills · 30 d" value={counts.ooms30d} />
      <StatCard
        label="Active incidents"
        value={<Link href={`/${slug}/incidents?status=active`} className="hover:underline">{counts.activeIncidents}</Link>}
        tone={counts.activeIncidents > 0 ? "warning" : "ok"}
        hint="open or acknowledged"
      />
    </div>
  );
}

async function Daily({ counts }: { counts: Promise<OverviewCounts> }) {
  return <DailyOomsChart data={(await counts).dailyOoms} />;
}

/** The fleet's cost of requests: this minute's, or the latest finished one while it is computed (off the page's critical path). */
async function CostLine({ orgId, slug, now }: { orgId: string; slug: string; now: Date }) {
  const cost = await recentCostSummary(getDb(), { orgId, now: now.getTime() / 1000, waitMs: FRESH_WAIT_MS });
  const tz = await requestTimeZone();
  return (
    <>
      {cost.totals.length > 0 ? (
        <Link href={`/${slug}/cost`} data-testid="overview-cost" className="block rounded-lg border border-zinc-200 bg-white px-4 py-3 text-sm hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800/50">
          <span className="text-xs font-medium uppercase tracking-wide text-zinc-500">Memory requests</span>
          {cost.totals.map((t) => (
            <span key={t.currency} className="tabular mt-0.5 block">
              <span className="text-lg font-semibold">{formatMoney(t.monthlyCost, t.currency)}/mo</span>
              <span className={`ml-2 ${t.monthlyChange > 0 ? "text-red-600 dark:text-red-400" : t.monthlyChange < 0 ? "text-emerald-600 dark:text-emerald-400" : "text-zinc-500"}`}>
                {formatMoney(t.monthlyChange, t.currency, true)}/mo if every recommendation is applied
              </span>
              <span className="block text-xs text-zinc-500">{formatMoney(t.add.amount, t.currency, true)} where starved (buys away {t.add.oomKillsAvoided} OOMKills), {formatMoney(t.save.amount, t.currency, true)} where over-provisioned{cost.stale ? ` · as of ${formatClockNamed(cost.now * 1000, tz)}` : ""} · cost page →</span>
            </span>
          ))}
        </Link>
      ) : null}
    </>
  );
}

async function TopOffenders({ orgId, slug, now }: { orgId: string; slug: string; now: Date }) {
  const offenders = await listOffendersWithVerdicts(getDb(), { orgId, now, limit: 8 });
  return (
        <Card title="Top offenders · OOMKills in 30 days" className="min-w-0 xl:col-span-3">
          {offenders.length === 0 ? (
            <EmptyState title="No OOMKills in the last 30 days — nice." />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {offenders.map((o) => (
                <li key={`${o.cluster}/${o.namespace}/${o.workloadName}/${o.container}`}>
                  <Link href={containerHref(slug, o)} className="flex items-center gap-3 px-4 py-2.5 hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                    <span className="tabular w-10 text-right text-lg font-semibold text-red-600 dark:text-red-400">{o.ooms30d}</span>
                    <span className="min-w-0 flex-1">
                      <span className="block truncate font-mono text-sm" title={`${o.workloadName}/${o.container}`}>
                        {o.workloadName}<span className="text-zinc-500 dark:text-zinc-400">/{o.container}</span>
                      </span>
                      <span className="block truncate text-xs text-zinc-500" title={`${o.cluster} · ${o.namespace} · last ${formatAgo(o.lastOomAt, now.getTime())}`}>
                        {o.cluster} · {o.namespace} · last {formatAgo(o.lastOomAt, now.getTime())}
                      </span>
                      {o.verdict ? <span className="mt-0.5 block"><VerdictText verdict={o.verdict} now={now.getTime()} /></span> : null}
                    </span>
                    <span className="flex shrink-0 flex-col items-end gap-1 sm:flex-row sm:items-center sm:gap-2">
                      <PatternBadge pattern={o.verdict?.pattern ?? o.pattern} />
                      {o.incidentStatus ? <StatusBadge status={o.incidentStatus} /> : null}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
  );
}

/** The containers most at risk: this minute's list, or the latest finished one (said, with its time) while a slow cluster or the minute's recomputation goes on. */
async function MostAtRisk({ orgId, slug, now }: { orgId: string; slug: string; now: Date }) {
  const atRisk = await recentAtRisk(getDb(), { orgId, now: now.getTime() / 1000, waitMs: FRESH_WAIT_MS });
  return (
        <Card title="Most at risk · soonest OOMKill first" className="min-w-0 xl:col-span-2">
          {atRisk.stale ? (
            <p className="border-b border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">As of {formatClockNamed(atRisk.now * 1000, await requestTimeZone())}; this minute&apos;s live usage is still being read.</p>
          ) : null}
          {atRisk.clusters.some((c) => c.problem) ? (
            <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
              Live data incomplete for {atRisk.clusters.filter((c) => c.problem).map((c) => `${c.cluster} (${c.problem})`).join("; ")}.
            </p>
          ) : null}
          {atRisk.entries.length === 0 ? (
            <EmptyState title={`No container is at ${atRisk.settings.warningPercent}% of its limit or growing towards it.`} />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {atRisk.entries.slice(0, 6).map((r) => {
                const projection = projectionText(r);
                return (
                  <li key={`${r.cluster}/${r.namespace}/${r.workloadName}/${r.container}`}>
                    <Link href={containerHref(slug, r)} className="flex items-center gap-3 px-4 py-2.5 hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-mono text-sm" title={`${r.workloadName}/${r.container}`}>{r.workloadName}<span className="text-zinc-500 dark:text-zinc-400">/{r.container}</span></span>
                        <span className="tabular block truncate text-xs text-zinc-500">
                          {r.cluster} · <span className="font-mono">{formatBytes(r.workingSetBytes)}</span> of <span className="font-mono">{formatBytes(r.limitBytes)}</span>
                          {r.stalling ? " · stalling on memory" : ""}
                        </span>
                        {projection ? <span title={projection} className={`block truncate text-xs font-medium ${r.timeToOomHours! < 24 ? "text-red-600 dark:text-red-400" : "text-amber-600 dark:text-amber-400"}`}>{projection}</span> : null}
                      </span>
                      {r.usageOfLimit !== null ? <UsageBar ratio={r.usageOfLimit} warning={atRisk.settings.warningPercent / 100} critical={atRisk.settings.criticalPercent / 100} /> : null}
                    </Link>
                  </li>
                );
              })}
            </ul>
          )}
          <Link href={`/${slug}/at-risk`} className="block border-t border-zinc-200 px-4 py-2 text-xs text-blue-600 hover:underline dark:border-zinc-800 dark:text-blue-400">
            All {atRisk.entries.length} at risk, with filters →
          </Link>
        </Card>
  );
}
