"use client";
import Link from "next/link";
import { useState } from "react";
import { formatAgo, formatBytes, PATTERN_LABELS } from "@/lib/format";
import { containerHref } from "@/lib/links";
import { INCIDENT_PATTERNS, type ListWorkloadsQuery } from "@/lib/schemas/lists";
import { PatternBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState } from "@/components/ui/card";
import { ActiveFilters, FilterBar, Pagination, SortHeader, TableSkeleton, useTypedFilter, useUrlState } from "@/components/ui/table";
import { useWorkloadsQuery } from "./use-workloads-query";

type Sort = ListWorkloadsQuery["sort"];
const NUMERIC: Sort[] = ["containers", "request", "limit", "ooms"];

export function WorkloadsTable({ org, cluster, namespaces, initial }: { org: string; cluster: string; namespaces: string[]; initial: ListWorkloadsQuery }) {
  const [q, setQ] = useState(initial);
  const setUrl = useUrlState();
  const query = useWorkloadsQuery(org, cluster, q);
  const update = (next: Partial<ListWorkloadsQuery>) => {
    const merged = { ...q, ...next };
    setQ(merged);
    setUrl({
      q: merged.q, namespace: merged.namespace, pattern: merged.pattern, sort: merged.sort, dir: merged.dir,
      page: merged.page > 1 ? merged.page : undefined, pageSize: merged.pageSize !== 25 ? merged.pageSize : undefined,
    });
  };
  const filter = useTypedFilter(q.q, (text) => update({ q: text, page: 1 }));
  const filtered = !!(q.q || q.namespace || q.pattern);
  const active = [
    ...(q.q ? [{ label: "Name", value: q.q, onRemove: () => { filter.clear(); update({ q: undefined, page: 1 }); } }] : []),
    ...(q.namespace ? [{ label: "Namespace", value: q.namespace, onRemove: () => update({ namespace: undefined, page: 1 }) }] : []),
    ...(q.pattern ? [{ label: "Verdict", value: PATTERN_LABELS[q.pattern] ?? q.pattern, onRemove: () => update({ pattern: undefined, page: 1 }) }] : []),
  ];
  const onSort = (column: Sort) =>
    update({ sort: column, dir: q.sort === column ? (q.dir === "asc" ? "desc" : "asc") : NUMERIC.includes(column) ? "desc" : "asc", page: 1 });
  const [now] = useState(() => Date.now());
  return (
    <div>
      <FilterBar filter={filter} placeholder="name, namespace or kind">
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Namespace
          <select
            value={q.namespace ?? ""}
            onChange={(e) => update({ namespace: e.target.value || undefined, page: 1 })}
            className="mt-1 block rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          >
            <option value="">All namespaces</option>
            {namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label className="text-xs text-zinc-600 dark:text-zinc-400">
          Verdict
          <select
            value={q.pattern ?? ""}
            onChange={(e) => update({ pattern: (e.target.value || undefined) as ListWorkloadsQuery["pattern"], page: 1 })}
            className="mt-1 block rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
          >
            <option value="">Any verdict</option>
            {INCIDENT_PATTERNS.map((p) => <option key={p} value={p}>{PATTERN_LABELS[p]}</option>)}
          </select>
        </label>
        {query.isFetching ? <span className="pb-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">Updating…</span> : null}
      </FilterBar>
      <ActiveFilters filters={active} onClearAll={() => { filter.clear(); update({ q: undefined, namespace: undefined, pattern: undefined, page: 1 }); }} />
      {query.isError ? (
        <ErrorState title="Could not load workloads">{query.error.message}. Try again, or reload the page.</ErrorState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm whitespace-nowrap">
            <thead className="sticky top-0 bg-white text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <SortHeader label="Namespace" column="namespace" sort={q.sort} dir={q.dir} onSort={onSort} />
                <SortHeader label="Kind" column="kind" sort={q.sort} dir={q.dir} onSort={onSort} />
                <SortHeader label="Name" column="name" sort={q.sort} dir={q.dir} onSort={onSort} />
                <SortHeader label="Containers" column="containers" sort={q.sort} dir={q.dir} onSort={onSort} align="right" />
                <SortHeader label="Request" column="request" sort={q.sort} dir={q.dir} onSort={onSort} align="right" />
                <SortHeader label="Limit" column="limit" sort={q.sort} dir={q.dir} onSort={onSort} align="right" />
                <SortHeader label="OOMKills · 30 d" column="ooms" sort={q.sort} dir={q.dir} onSort={onSort} align="right" />
                <th scope="col" className="px-3 py-2 text-right font-medium">Last OOMKill</th>
                <th scope="col" className="px-3 py-2 text-left font-medium">Verdict</th>
              </tr>
            </thead>
            {query.isPending ? (
              <TableSkeleton cols={9} />
            ) : (
              <tbody className="tabular">
                {query.data.rows.map((w) => {
                  const first = w.containers[0];
                  const href = first ? containerHref(org, { cluster, namespace: w.namespace, workloadKind: w.kind, workloadName: w.name, container: first.name }) : undefined;
                  return (
                    <tr key={w.id} className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50">
                      <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{w.namespace}</td>
                      <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{w.kind}</td>
                      <td className="px-3 py-2 font-mono">
                        {href ? <Link href={href} className="text-blue-700 hover:underline dark:text-blue-400">{w.name}</Link> : w.name}
                        {w.replicas > 1 ? <span className="ml-1 text-xs text-zinc-600 dark:text-zinc-400">×{w.replicas}</span> : null}
                      </td>
                      <td className="px-3 py-2 text-right">{w.containers.length}</td>
                      <td className="px-3 py-2 text-right font-mono">{w.requestBytes === null ? <span className="text-amber-600">none</span> : formatBytes(w.requestBytes)}</td>
                      <td className="px-3 py-2 text-right font-mono">{w.limitBytes === null ? <span className="text-amber-600">none</span> : formatBytes(w.limitBytes)}</td>
                      <td className={`px-3 py-2 text-right ${w.ooms30d > 0 ? "font-semibold text-red-600 dark:text-red-400" : "text-zinc-600 dark:text-zinc-400"}`}>{w.ooms30d}</td>
                      <td className="px-3 py-2 text-right text-zinc-600 dark:text-zinc-400">{w.lastOomAt ? formatAgo(w.lastOomAt, now) : "—"}</td>
                      <td className="px-3 py-2">{w.pattern ? <PatternBadge pattern={w.pattern} /> : <span className="text-zinc-600 dark:text-zinc-400">—</span>}</td>
                    </tr>
                  );
                })}
              </tbody>
            )}
          </table>
          {query.data && query.data.rows.length === 0 ? (
            <EmptyState title={filtered ? "No workload matches this filter." : `No workloads on ${cluster} yet.`}>
              {filtered ? "Clear the filters to see every workload." : "They appear once the agent or Prometheus reports them."}
            </EmptyState>
          ) : null}
          {query.data ? <Pagination page={q.page} pageSize={q.pageSize} total={query.data.total} onPage={(p) => update({ page: p })} onPageSize={(n) => update({ pageSize: n, page: 1 })} /> : null}
        </div>
      )}
    </div>
  );
}
