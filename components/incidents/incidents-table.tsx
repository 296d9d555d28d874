"use client";
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatAgo } from "@/lib/format";
import { containerHref } from "@/lib/links";
import type { IncidentListPage } from "@/lib/incidents/list-verdicts";
import { queryKeys, toQueryString } from "@/lib/query-keys";
import type { ListIncidentsQuery } from "@/lib/schemas/lists";
import { EmptyState, ErrorState } from "@/components/ui/card";
import { PatternBadge, StatusBadge } from "@/components/ui/badge";
import { fetchJson, Pagination, TableSkeleton, useUrlState } from "@/components/ui/table";
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

const selectClass = "mt-1 block rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";

export function IncidentsTable({ org, clusters, namespaces, initial }: { org: string; clusters: string[]; namespaces: string[]; initial: ListIncidentsQuery }) {
  const [q, setQ] = useState(initial);
  const setUrl = useUrlState();
  const query = useIncidentsQuery(org, q);
  const update = (next: Partial<ListIncidentsQuery>) => {
    const merged = { ...q, ...next, page: next.page ?? 1 };
    setQ(merged);
    setUrl({ cluster: merged.cluster, namespace: merged.namespace, status: merged.status === "all" ? undefined : merged.status, page: merged.page > 1 ? merged.page : undefined });
  };
  return (
    <div>
      <div className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <label className="text-xs text-zinc-500">Cluster
          <select value={q.cluster ?? ""} onChange={(e) => update({ cluster: e.target.value || undefined })} className={selectClass}>
            <option value="">All clusters</option>
            {clusters.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label className="text-xs text-zinc-500">Namespace
          <select value={q.namespace ?? ""} onChange={(e) => update({ namespace: e.target.value || undefined })} className={selectClass}>
            <option value="">All namespaces</option>
            {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label className="text-xs text-zinc-500">Status
          <select value={q.status} onChange={(e) => update({ status: e.target.value as ListIncidentsQuery["status"] })} className={selectClass}>
            <option value="all">Any status</option>
            <option value="active">Active (open or acknowledged)</option>
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
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
                <th scope="col" className="px-4 py-2 text-left font-medium">Container</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">Verdict</th>
                <th scope="col" className={`${wide} px-3 py-2 text-left font-medium`}>Status</th>
                <th scope="col" className={`${wide} px-3 py-2 text-right font-medium`}>OOMKills</th>
                <th scope="col" className={`${wide} px-3 py-2 text-right font-medium`}>Last OOMKill ▼</th>
                <th scope="col" className={`${wide} px-4 py-2 text-right font-medium`}>First seen</th>
              </tr>
            </thead>
            {query.isPending ? <TableSkeleton cols={6} /> : (
              <IncidentRows org={org} page={query.data} />
            )}
          </table>
          {query.data && query.data.rows.length === 0 ? (
            <EmptyState title="No incidents match these filters.">{q.status !== "all" || q.cluster || q.namespace ? "Widen the filters to see more." : "No OOMKills yet — nice."}</EmptyState>
          ) : null}
          {query.data ? <Pagination page={q.page} pageSize={q.pageSize} total={query.data.total} onPage={(p) => update({ page: p })} /> : null}
        </div>
      )}
    </div>
  );
}

/** The incidents of one page; times are as of the page's minute, so two loads of a minute read the same. */
function IncidentRows({ org, page }: { org: string; page: IncidentListPage }) {
  const now = page.now * 1000;
  return (
    <tbody className="tabular">
      {page.rows.map((i) => (
        <tr key={i.id} className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50">
          <td className="px-4 py-2 align-top sm:align-middle">
            <Link href={containerHref(org, i)} className="font-mono break-all text-blue-700 hover:underline sm:break-normal dark:text-blue-400">
              {i.workloadName}/{i.container}
            </Link>
            <div className="text-xs text-zinc-500">{i.cluster} · {i.namespace} · {i.workloadKind}</div>
            {/* phones: the columns folded away, in one line */}
            <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 sm:hidden">
              <StatusBadge status={i.status} />
              <span><span className="font-semibold text-red-600 dark:text-red-400">{i.oomCount}</span> OOMKills, last {formatAgo(i.lastSeenAt, now)}</span>
            </div>
          </td>
          <td className="px-3 py-2 align-top sm:align-middle">
            <PatternBadge pattern={i.verdict?.pattern ?? i.pattern} />
            {i.verdict ? <div className="mt-0.5 max-w-md"><VerdictText verdict={i.verdict} now={now} /></div> : null}
            {i.status === "resolved" && i.resolvedAt ? <div className="text-xs text-zinc-500">resolved {formatAgo(i.resolvedAt, now)}: no OOMKill for a week</div> : null}
          </td>
          <td className={`${wide} px-3 py-2`}><StatusBadge status={i.status} /></td>
          <td className={`${wide} px-3 py-2 text-right font-semibold text-red-600 dark:text-red-400`}>{i.oomCount}</td>
          <td className={`${wide} px-3 py-2 text-right text-zinc-600 dark:text-zinc-400`}>{formatAgo(i.lastSeenAt, now)}</td>
          <td className={`${wide} px-4 py-2 text-right text-zinc-500`}>{formatAgo(i.firstSeenAt, now)}</td>
        </tr>
      ))}
    </tbody>
  );
}
