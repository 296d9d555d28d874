"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { AnalysisSummary, IncidentView } from "@/lib/incidents/incident-view";
import { formatTimeToOom } from "@/lib/incidents/verdict-line";
import { formatAgo, formatPercent } from "@/lib/format";
import { clusterHref, containerHref, incidentHref } from "@/lib/links";
import { queryKeys } from "@/lib/query-keys";
import { Card, ErrorState, Skeleton } from "@/components/ui/card";
import { Badge, PatternBadge, StatusBadge } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/table";
import { IncidentControls } from "./incident-controls";
import { specLine } from "./incident-format";
import { useTimeFormat } from "@/components/time-zone";
import { IncidentTimeline } from "./incident-timeline";

export function useIncidentQuery(org: string, id: string) {
  return useQuery({ queryKey: queryKeys.incident(org, id), queryFn: () => fetchJson<IncidentView>(`/api/v1/orgs/${encodeURIComponent(org)}/incidents/${encodeURIComponent(id)}`) });
}

/** The incident page: header and actions, the verdict then and now, the fix, the timeline, earlier incidents. */
export function IncidentPage({ org, id, canAct, currentUserId }: { org: string; id: string; canAct: boolean; currentUserId: string }) {
  const { formatTime, formatDay } = useTimeFormat();
  const query = useIncidentQuery(org, id);
  if (query.isPending) return <IncidentSkeleton />;
  if (query.isError) return <ErrorState title="Could not load this incident">{query.error.message}. Reload the page to try again.</ErrorState>;
  const v = query.data;
  const now = v.now * 1000;
  const path = { cluster: v.cluster.slug, namespace: v.workload.namespace, workloadKind: v.workload.kind, workloadName: v.workload.name, container: v.container };
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div className="space-y-2">
        <nav aria-label="Breadcrumb" className="text-xs text-zinc-500">
          <Link href={`/${org}/incidents`} className="hover:underline">Incidents</Link> / <Link href={clusterHref(org, v.cluster.slug)} className="hover:underline">{v.cluster.name}</Link> / {v.workload.namespace} / {v.workload.kind}
        </nav>
        <h1 className="font-mono text-xl font-semibold break-all">{v.workload.name}<span className="text-zinc-400">/{v.container}</span></h1>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 text-sm text-zinc-500">
          {v.snoozedUntil ? <Badge tone="neutral">snoozed</Badge> : <StatusBadge status={v.status} />}
          <PatternBadge pattern={v.pattern} />
          <span className="tabular"><span className="font-semibold text-red-600 dark:text-red-400">{v.oomCount}</span> OOMKill{v.oomCount === 1 ? "" : "s"}</span>
          <span>first {formatAgo(v.firstSeenAt, now)} · last {formatAgo(v.lastSeenAt, now)}</span>
          <span>{v.assignee ? <>assigned to <span className="font-medium text-zinc-700 dark:text-zinc-300">{v.assignee.name}</span></> : "unassigned"}</span>
          {v.containerKnown ? <Link href={containerHref(org, path)} className="text-blue-700 hover:underline dark:text-blue-400">Container page →</Link> : null}
        </div>
        <StatusLine v={v} />
        {canAct ? <IncidentControls org={org} v={v} currentUserId={currentUserId} /> : <p className="text-xs text-zinc-500">You can read this incident; members and admins act on it.</p>}
      </div>

      <Card title="The verdict at the first kill and now">
        <div className="grid divide-y divide-zinc-200 md:grid-cols-2 md:divide-x md:divide-y-0 dark:divide-zinc-800">
          <AnalysisColumn title="At the first kill" a={v.first} note={v.first ? `stored when Headroom opened the incident (first OOMKill ${formatTime(v.firstSeenAt)})` : "No analysis was stored when this incident opened (no memory history at that moment)."} />
          <AnalysisColumn
            title="Now" a={v.latest.analysis}
            note={v.latest.analysis ? (v.latest.live ? "live, this minute" : v.latest.analyzedAt ? `stored, computed ${formatTime(v.latest.analyzedAt)}` : "stored") : "No analysis yet: the container has no memory history Headroom can read."}
          />
        </div>
      </Card>

      <FixCard v={v} />

      <div className="grid items-start gap-5 xl:grid-cols-3">
        <Card title="Timeline" className="xl:col-span-2"><IncidentTimeline org={org} v={v} canAct={canAct} /></Card>
        <Card title="Earlier incidents of this container">
          {v.related.length === 0 ? (
            <p className="px-4 py-6 text-sm text-zinc-500">None: this is the first time Headroom saw it OOMKilled.</p>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {v.related.map((r) => (
                <li key={r.id} className="px-4 py-2 text-sm">
                  <Link href={incidentHref(org, r.id)} className="text-blue-700 hover:underline dark:text-blue-400">{formatDay(r.firstSeenAt)} – {formatDay(r.lastSeenAt)}</Link>
                  <div className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-zinc-500">
                    <StatusBadge status={r.status} /> {r.oomCount} OOMKill{r.oomCount === 1 ? "" : "s"}
                    {r.resolution === "fix_verified" ? <Badge tone="ok">fix verified</Badge> : null}
                    {r.previous ? <span>· the one this repeats</span> : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}

/** How the incident stands, in a sentence: resolved how, snoozed until when. */
function StatusLine({ v }: { v: IncidentView }) {
  const { formatTime, formatDay } = useTimeFormat();
  if (v.status === "resolved" && v.resolvedAt) {
    const how = v.resolution === "fix_verified" ? `Fix verified on ${formatDay(v.resolvedAt)}` : v.resolution === "manual" ? `Resolved by hand on ${formatTime(v.resolvedAt)}` : `Resolved on ${formatDay(v.resolvedAt)}: no OOMKill for a week`;
    return <p className={`text-sm ${v.resolution === "fix_verified" ? "font-medium text-emerald-700 dark:text-emerald-400" : "text-zinc-600 dark:text-zinc-400"}`}>{how}.</p>;
  }
  if (v.snoozedUntil) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Snoozed until {formatTime(v.snoozedUntil)}: out of the active list until then.</p>;
  return null;
}

function AnalysisColumn({ title, a, note }: { title: string; a: AnalysisSummary | null; note: string }) {
  return (
    <div className="space-y-2 px-4 py-3">
      <h3 className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{title}</h3>
      {a ? (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <PatternBadge pattern={a.pattern} />
            {a.confidence !== null ? <span className="tabular text-xs text-zinc-500">{formatPercent(a.confidence)} sure</span> : null}
            {a.timeToOomHours !== null ? <span className="text-xs font-medium text-red-600 dark:text-red-400">next OOMKill in {formatTimeToOom(a.timeToOomHours)}</span> : null}
          </div>
          {a.summary ? <p className="text-sm">{a.summary}</p> : null}
          {a.recommendation ? (
            <dl className="tabular grid grid-cols-[auto_1fr] gap-x-4 gap-y-0.5 text-sm">
              <dt className="text-zinc-500">Recommended request</dt><dd className="font-mono">{a.recommendation.request}</dd>
              <dt className="text-zinc-500">Recommended limit</dt><dd className="font-mono">{a.recommendation.limit}</dd>
            </dl>
          ) : <p className="text-sm text-zinc-500">No recommendation.</p>}
        </>
      ) : null}
      <p className="text-xs text-zinc-500">{note}</p>
    </div>
  );
}

/** The spec the incident opened with, the fix that followed, and whether it held. */
function FixCard({ v }: { v: IncidentView }) {
  const { formatTime, formatDay } = useTimeFormat();
  const f = v.fix;
  if (!f.specAtOpen) return null;
  const verified = v.resolution === "fix_verified";
  let line: React.ReactNode;
  let tone = "text-zinc-600 dark:text-zinc-400";
  if (verified && v.resolvedAt) {
    line = `Fix verified on ${formatDay(v.resolvedAt)}: 7 days without an OOMKill after the change of ${f.appliedAt ? formatDay(f.appliedAt) : "the spec"}.`;
    tone = "font-medium text-emerald-700 dark:text-emerald-400";
  } else if (f.appliedAt && f.killsSince > 0) {
    line = `The fix did not hold: ${f.killsSince} OOMKill${f.killsSince === 1 ? "" : "s"} since it was applied on ${formatTime(f.appliedAt)}.`;
    tone = "font-medium text-red-700 dark:text-red-400";
  } else if (f.appliedAt) {
    line = <>Fix applied {formatTime(f.appliedAt)}.{f.verifiesAt ? <> Verified on {formatDay(f.verifiesAt)} if no OOMKill comes before.</> : null}</>;
    tone = "text-blue-700 dark:text-blue-400";
  } else if (v.status !== "resolved") {
    line = "No change yet. Apply the recommendation: Headroom notices the new limit or heap setting and closes the incident after 7 days without an OOMKill.";
  } else {
    line = "The spec did not change while the incident was open.";
  }
  const after = f.specAfterFix ?? (f.appliedAt ? f.current : null);
  return (
    <Card title="The fix">
      <div className="space-y-3 px-4 py-3">
        <p className={`text-sm ${tone}`}>{line}</p>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          <dt className="text-zinc-500">Before (at opening)</dt><dd className="font-mono break-words">{specLine(f.specAtOpen)}</dd>
          {after ? <><dt className="text-zinc-500">After the fix</dt><dd className="font-mono break-words">{specLine(after)}</dd></> : null}
          {!after && f.current ? <><dt className="text-zinc-500">Now</dt><dd className="font-mono break-words">{specLine(f.current)}</dd></> : null}
        </dl>
      </div>
    </Card>
  );
}

export function IncidentSkeleton() {
  return (
    <div className="mx-auto max-w-7xl space-y-5" aria-busy="true">
      <Skeleton className="h-8 w-80 max-w-full" />
      <Skeleton className="h-5 w-96 max-w-full" />
      <Skeleton className="h-40" />
      <div className="grid gap-5 xl:grid-cols-3"><Skeleton className="h-80 xl:col-span-2" /><Skeleton className="h-40" /></div>
    </div>
  );
}

