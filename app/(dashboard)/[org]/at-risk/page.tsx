import type { Metadata } from "next";
import { formatClockNamed } from "@/lib/time-zone";
import { requestTimeZone } from "@/lib/time-zone-server";
import { getDb } from "@/db/client";
import { requireOrg } from "@/lib/auth/require-org";
import { recentAtRisk, STALL_FLAG_RATIO } from "@/lib/at-risk/compute";
import { pageAtRisk } from "@/lib/at-risk/list";
import { clusterProblemsForRole } from "@/lib/clusters/visibility";
import { anchoredNow, FRESH_WAIT_MS } from "@/lib/incidents/analyze";
import { atRiskQuery } from "@/lib/schemas/alerts";
import { Card, EmptyState, ErrorState } from "@/components/ui/card";
import { AtRiskFilters, AtRiskPager } from "@/components/at-risk/at-risk-filters";
import { AtRiskRows } from "@/components/at-risk/at-risk-rows";

export const metadata: Metadata = { title: "At risk" };

export default async function AtRiskPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org: slug } = await params;
  const { org } = await requireOrg(slug);
  const parsed = atRiskQuery.safeParse(await searchParams);
  const query = parsed.success ? parsed.data : atRiskQuery.parse({});
  // this minute's list when ready within FRESH_WAIT_MS, else the latest finished one, dated (the minute's recomputation goes on)
  const report = await recentAtRisk(getDb(), { orgId: org.id, now: anchoredNow(), waitMs: FRESH_WAIT_MS }).catch((e: Error) => e);
  const heading = (
    <div>
      <h1 className="text-xl font-semibold">At risk of an OOMKill</h1>
      <p className="text-sm text-zinc-500">
        Containers at or above {report instanceof Error ? "85" : report.settings.warningPercent}% (warning) or {report instanceof Error ? "95" : report.settings.criticalPercent}% (critical) of their memory limit, leaks the engine projects to reach it, and containers stalling on memory — soonest OOMKill first.
      </p>
    </div>
  );
  if (report instanceof Error) {
    return (
      <div className="mx-auto max-w-7xl space-y-5">
        {heading}
        <Card><ErrorState title="Could not compute the at-risk list">{report.message}. Reload the page in a minute.</ErrorState></Card>
      </div>
    );
  }
  const data = clusterProblemsForRole(pageAtRisk(report, query), org.role);
  const late = data.clusters.filter((c) => c.problem);
  const noPsi = data.clusters.filter((c) => c.psi === false).map((c) => c.cluster);
  const withPsi = data.clusters.filter((c) => c.psi === true).map((c) => c.cluster);
  const filtered = Boolean(query.cluster || query.namespace || query.severity !== "all");
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      {heading}
      {report.stale ? (
        <p role="status" className="text-xs text-zinc-500">As of {formatClockNamed(report.now * 1000, await requestTimeZone())}; this minute&apos;s live usage is still being read — reload in a moment.</p>
      ) : null}
      {late.length > 0 ? (
        <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {late.map((c) => <p key={c.cluster}><span className="font-medium">{c.cluster}</span>: {c.problem}</p>)}
        </div>
      ) : null}
      <p data-testid="psi-note" className="text-xs text-zinc-500">
        Memory pressure (PSI, <code className="font-mono">container_pressure_memory_waiting_seconds_total</code>, Kubernetes 1.33+ on cgroup v2):{" "}
        {withPsi.length ? <>exported by {withPsi.join(", ")} — a container waiting on memory {Math.round(STALL_FLAG_RATIO * 100)}% of the time or more is flagged. </> : null}
        {noPsi.length ? <>Not exported by {noPsi.join(", ")}: no stall flags there.</> : null}
        {!withPsi.length && !noPsi.length ? <>not known yet.</> : null}
      </p>
      <Card title={`${data.total} container${data.total === 1 ? "" : "s"}`}>
        <AtRiskFilters query={query} data={data} />
        {data.rows.length === 0 ? (
          <div className="border-t border-zinc-200 dark:border-zinc-800">
            <EmptyState title={filtered ? "Nothing at risk matches these filters." : "No container is near its limit or growing towards it — nice."}>
              {filtered ? "Clear a filter to see the rest." : `Listed here: ≥${report.settings.warningPercent}% of the limit, a projected OOMKill, or a memory stall.`}
            </EmptyState>
          </div>
        ) : (
          <div className="border-t border-zinc-200 dark:border-zinc-800">
            <AtRiskRows org={slug} rows={data.rows} settings={report.settings} />
          </div>
        )}
        <AtRiskPager page={data.page} pageSize={data.pageSize} total={data.total} />
      </Card>
    </div>
  );
}
