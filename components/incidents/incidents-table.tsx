"use client";
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatAgo, PATTERN_LABELS } from "@/lib/format";
import { incidentHref } from "@/lib/links";
import type { IncidentListPage, IncidentListRow } from "@/lib/incidents/list-verdicts";
import { formatStoredAt } from "@/lib/incidents/verdict-line";
import { useTimeZone } from "@/components/time-zone";
import { queryKeys, toQueryString } from "@/lib/query-keys";
import { INCIDENT_PATTERNS, type IncidentSort, type IncidentStatusFilter, type ListIncidentsQuery } from "@/lib/schemas/lists";
import { EmptyState, ErrorState } from "@/components/ui/card";
import { Badge, PatternBadge, StatusBadge } from "@/components/ui/badge";
import { fetchJson, Pagination, SortHeader, TableSkeleton, useUrlState } from "@/components/ui/table";
import { VerdictText } from "./verdict-text";

export function useIncidentsQuery(org: string, q: ListIncidentsQuery) {
  return useQuery({
    queryKey: queryKeys.incidents(org, q),
    queryFn: () => fetchJson<IncidentListPage>(`/api/v1/orgs/${org}/incidents?${toQueryString(q)}`),
    placeholderData: keepPreviousData,
  });
}

/** Columns a phone folds into the container cell. */
const wide = "hidden sm:table-cell";

const selectClass = "mt-1 block w-full min-w-0 sm:w-auto rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";

const STATUS_TABS: { value: IncidentStatusFilter; label: string }[] = [
  { value: "active", label: "Active" },
  { value: "open", label: "Open" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "snoozed", label: "Snoozed" },
  { value: "resolved", label: "Resolved" },
  { value: "all", label: "All" },
];

export interface AssigneeOption {
  userId: string;
  name: string;
}

export function IncidentsTable({ org, clusters, namespaces, assignees, initial }: { org: string; clusters: string[]; namespaces: string[]; assignees: AssigneeOption[]; initial: ListIncidentsQuery }) {
  const [q, setQ] = useState(initial);
  const setUrl = useUrlState();
  const query = useIncidentsQuery(org, q);
  const update = (next: Partial<ListIncidentsQuery>) => {
    const merged = { ...q, ...next, page: next.page ?? 1 };
    setQ(merged);
    setUrl({
      cluster: merged.cluster, namespace: merged.namespace, pattern: merged.pattern, assignee: merged.assignee,
      status: merged.status === "all" ? undefined : merged.status,
      sort: merged.sort === "lastSeen" ? undefined : merged.sort, dir: merged.dir === "desc" ? undefined : merged.dir,
      page: merged.page > 1 ? merged.page : undefined, pageSize: merged.pageSize !== 25 ? merged.pageSize : undefined,
    });
  };
  const onSort = (column: IncidentSort) => update({ sort: column, dir: q.sort === column && q.dir === "desc" ? "asc" : column === "workload" && q.sort !== column ? "asc" : "desc" });
  const counts = query.data?.counts;
  const filtered = q.status !== "all" || q.cluster || q.namespace || q.pattern || q.assignee;
  return (
    <div>
      <div role="group" aria-label="Status" className="flex flex-wrap gap-1.5 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        {STATUS_TABS.map((t) => (
          <button
            key={t.value} type="button" aria-pressed={q.status === t.value} onClick={() => update({ status: t.value })}
            className={`tabular rounded-md border px-2.5 py-1 text-xs font-medium ${q.status === t.value ? "border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900" : "border-zinc-300 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800"}`}
          >
            {t.label} <span data-testid={`count-${t.value}`} className={q.status === t.value ? "" : "text-zinc-500"}>{counts ? counts[t.value] : "…"}</span>
          </button>
        ))}
      </div>
      <div className="grid grid-cols-2 items-end gap-3 border-b border-zinc-200 px-4 py-3 sm:flex sm:flex-wrap dark:border-zinc-800">
        <label className="min-w-0 text-xs text-zinc-500">Cluster
          <select value={q.cluster ?? ""} onChange={(e) => update({ cluster: e.target.value || undefined })} className={selectClass}>
            <option value="">All clusters</option>
            {clusters.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label className="min-w-0 text-xs text-zinc-500">Namespace
          <select value={q.namespace ?? ""} onChange={(e) => update({ namespace: e.target.value || undefined })} className={selectClass}>
            <option value="">All namespaces</option>
            {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label className="min-w-0 text-xs text-zinc-500">Pattern
          <select value={q.pattern ?? ""} onChange={(e) => update({ pattern: (e.target.value || undefined) as ListIncidentsQuery["pattern"] })} className={selectClass}>
            <option value="">Any pattern</option>
            {INCIDENT_PATTERNS.map((p) => <option key={p} value={p}>{PATTERN_LABELS[p] ?? p}</option>)}
          </select>
        </label>
        <label className="min-w-0 text-xs text-zinc-500">Assignee
          <select value={q.assignee ?? ""} onChange={(e) => update({ assignee: e.target.value || undefined })} className={selectClass}>
            <option value="">Anyone or no one</option>
            <option value="me">Me</option>
            <option value="anyone">Assigned</option>
            <option value="unassigned">Unassigned</option>
            {assignees.map((a) => <option key={a.userId} value={a.userId}>{a.name}</option>)}
          </select>
        </label>
        {query.isFetching ? <span className="pb-2 text-xs text-zinc-400">Updating…</span> : null}
      </div>
      {query.isError ? (
        <ErrorState title="Could not load incidents">{query.error.message}. Try again, or reload the page.</ErrorState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="sticky top-0 bg-white text-xs text-zinc-500 dark:bg-zinc-900">
              <tr>
                <SortHeader label="Container" column="workload" sort={q.sort} dir={q.dir} onSort={onSort} />
                <th scope="col" className="px-3 py-2 text-left font-medium">Verdict</th>
                <th scope="col" className={`${wide} px-3 py-2 text-left font-medium`}>Status</th>
                <SortHeader label="OOMKills" column="kills" sort={q.sort} dir={q.dir} onSort={onSort} align="right" className={wide} />
                <SortHeader label="Last OOMKill" column="lastSeen" sort={q.sort} dir={q.dir} onSort={onSort} align="right" className={wide} />
                <SortHeader label="First seen" column="firstSeen" sort={q.sort} dir={q.dir} onSort={onSort} align="right" className={wide} />
              </tr>
            </thead>
            {query.isPending ? <TableSkeleton cols={6} /> : (
              <IncidentRows org={org} page={query.data} />
            )}
          </table>
          {query.data && query.data.rows.length === 0 ? (
            <EmptyState title="No incidents match these filters.">{filtered ? "Widen the filters to see more." : "No OOMKills yet — nice."}</EmptyState>
          ) : null}
          {query.data ? <Pagination page={q.page} pageSize={q.pageSize} total={query.data.total} onPage={(p) => update({ page: p })} onPageSize={(n) => update({ pageSize: n })} /> : null}
        </div>
      )}
    </div>
  );
}

/** A row's status: snoozed while its snooze runs, else the incident's status. */
function RowStatus({ i }: { i: IncidentListRow }) {
  return i.snoozedUntil ? <Badge>snoozed</Badge> : <StatusBadge status={i.status} />;
}

/** The incidents of one page; times are as of the page's minute, so two loads of a minute read the same. */
function IncidentRows({ org, page }: { org: string; page: IncidentListPage }) {
  const now = page.now * 1000;
  const tz = useTimeZone();
  return (
    <tbody className="tabular">
      {page.rows.map((i) => (
        <tr key={i.id} className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50">
          <td className="px-4 py-2 align-top sm:align-middle">
            <Link href={incidentHref(org, i.id)} className="font-mono break-all text-blue-700 hover:underline sm:break-normal dark:text-blue-400">
              {i.workloadName}/{i.container}
            </Link>
            <div className="text-xs text-zinc-500">{i.cluster} · {i.namespace} · {i.workloadKind}{i.assignee ? <> · <span className="text-zinc-700 dark:text-zinc-300">{i.assignee.name}</span></> : null}</div>
            {/* phones: the columns folded away, in one line */}
            <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 sm:hidden">
              <RowStatus i={i} />
              <span><span className="font-semibold text-red-600 dark:text-red-400">{i.oomCount}</span> OOMKills, last {formatAgo(i.lastSeenAt, now)}</span>
            </div>
          </td>
          <td className="px-3 py-2 align-top sm:align-middle">
            <PatternBadge pattern={i.verdict?.pattern ?? i.pattern} />
            {i.verdict ? <div className="mt-0.5 max-w-md"><VerdictText verdict={i.verdict} now={now} /></div> : null}
            {i.status === "resolved" && i.resolvedAt ? <div className="text-xs text-zinc-500">{resolvedLine(i, now)}</div> : null}
            {i.snoozedUntil ? <div className="text-xs text-zinc-500">snoozed until {formatStoredAt(i.snoozedUntil, now, tz)}</div> : null}
          </td>
          <td className={`${wide} px-3 py-2`}><RowStatus i={i} /></td>
          <td className={`${wide} px-3 py-2 text-right font-semibold text-red-600 dark:text-red-400`}>{i.oomCount}</td>
          <td className={`${wide} px-3 py-2 text-right text-zinc-600 dark:text-zinc-400`}>{formatAgo(i.lastSeenAt, now)}</td>
          <td className={`${wide} px-4 py-2 text-right text-zinc-500`}>{formatAgo(i.firstSeenAt, now)}</td>
        </tr>
      ))}
    </tbody>
  );
}

const resolvedLine = (i: IncidentListRow, now: number) =>
  i.resolution === "fix_verified" ? `fix verified ${formatAgo(i.resolvedAt, now)}` : i.resolution === "manual" ? `resolved by hand ${formatAgo(i.resolvedAt, now)}` : `resolved ${formatAgo(i.resolvedAt, now)}: no OOMKill for a week`;
