"use client";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useTransition } from "react";
import type { ClusterListPage, ClusterListRow } from "@/lib/clusters/list-page";
import type { ClusterSort, ListClustersQuery } from "@/lib/schemas/lists";
import { formatAgo, formatMoney } from "@/lib/format";
import { clusterHref } from "@/lib/links";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/card";
import { ActiveFilters, FilterBar, Pagination, SortHeader, useTypedFilter } from "@/components/ui/table";

export interface ClusterTableRow extends ClusterListRow {
  id: string;
  currency: string;
  pricePerGibMonth: number;
  /** where its data comes from: simulated, Prometheus, Kubernetes API, agent, not connected */
  sources: string[];
}

/** columns folded into the cluster cell on phones */
const wide = "hidden sm:table-cell";

const NUMERIC: ClusterSort[] = ["workloads", "ooms", "incidents", "cost", "change", "sync"];

/**
 * The clusters list: filter as you type, sort by any count, a page at a time. The query lives in the URL
 * (a link reproduces the view) and the server renders only the page asked for.
 */
export function ClustersTable({ org, query, data, now }: { org: string; query: ListClustersQuery; data: ClusterListPage<ClusterTableRow>; now: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, start] = useTransition();
  const go = (next: Partial<ListClustersQuery>) => {
    const m = { ...query, ...next };
    const p = new URLSearchParams();
    if (m.q) p.set("q", m.q);
    if (m.sort !== "name") p.set("sort", m.sort);
    if (m.dir !== "asc") p.set("dir", m.dir);
    if (m.page > 1) p.set("page", String(m.page));
    if (m.pageSize !== 25) p.set("pageSize", String(m.pageSize));
    start(() => router.replace(`${pathname}${p.size ? `?${p}` : ""}`, { scroll: false }));
  };
  const filter = useTypedFilter(query.q, (q) => go({ q, page: 1 }));
  const onSort = (column: ClusterSort) =>
    go({ sort: column, dir: query.sort === column ? (query.dir === "asc" ? "desc" : "asc") : NUMERIC.includes(column) ? "desc" : "asc", page: 1 });
  const header = { sort: query.sort, dir: query.dir, onSort };
  return (
    <div>
      {data.all > 10 || query.q ? (
        <FilterBar filter={filter} placeholder="name, provider or region">
          {pending ? <span className="pb-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">Updating…</span> : null}
        </FilterBar>
      ) : null}
      <ActiveFilters filters={query.q ? [{ label: "Cluster", value: query.q, onRemove: () => { filter.clear(); go({ q: undefined, page: 1 }); } }] : []} onClearAll={() => { filter.clear(); go({ q: undefined, page: 1 }); }} />
      {data.total === 0 ? (
        <EmptyState title="No cluster matches">Nothing matches “{query.q}”: try part of a name, a provider or a region.</EmptyState>
      ) : (
        <div className="overflow-x-auto" aria-busy={pending}>
          <table className="w-full text-sm">
            <thead className="text-xs text-zinc-600 dark:text-zinc-400">
              <tr>
                <SortHeader label="Cluster" column="name" {...header} className="pl-4" />
                <th scope="col" className={`${wide} px-3 py-2 text-left font-medium`}>Provider · region · price</th>
                <th scope="col" className={`${wide} px-3 py-2 text-left font-medium`}>Source</th>
                <SortHeader label="Workloads" column="workloads" {...header} align="right" className={wide} />
                <SortHeader label="OOMKills · 30 d" column="ooms" {...header} align="right" />
                <SortHeader label="Active incidents" column="incidents" {...header} align="right" className={wide} />
                <SortHeader label="Requests /mo" column="cost" {...header} align="right" className={wide} />
                <SortHeader label="Net change /mo" column="change" {...header} align="right" className={wide} />
                <SortHeader label="Last sync" column="sync" {...header} align="right" className={`${wide} pr-4`} />
              </tr>
            </thead>
            <tbody className="tabular">
              {data.rows.map((c) => {
                const place = [c.provider, c.region].filter(Boolean).join(" · ") || "—";
                const change = c.monthlyChange === null ? "—" : formatMoney(c.monthlyChange, c.currency, true);
                return (
                  <tr key={c.id} className="border-t border-zinc-100 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50">
                    <td className="px-4 py-2.5 align-top sm:align-middle">
                      <Link href={clusterHref(org, c.slug)} className="font-mono font-medium break-all text-blue-700 hover:underline sm:break-normal sm:whitespace-nowrap dark:text-blue-400">{c.name}</Link>
                      {/* phones: the columns folded away, in two lines */}
                      <div className="text-xs text-zinc-600 sm:hidden dark:text-zinc-400">{place} · {c.sources.join(", ")}</div>
                      <div className="tabular text-xs text-zinc-600 sm:hidden dark:text-zinc-400">
                        {c.workloads} workloads · {c.activeIncidents} active{c.monthlyCost === null ? "" : ` · ${formatMoney(c.monthlyCost, c.currency)}/mo, ${change}`} · {c.lastSyncAt ? `synced ${formatAgo(c.lastSyncAt, now)}` : "never synced"}
                      </div>
                    </td>
                    <td className={`${wide} px-3 py-2.5 text-zinc-600 dark:text-zinc-400`}>
                      <span className="whitespace-nowrap">{place}</span>
                      <span className="block text-xs whitespace-nowrap text-zinc-500">{formatMoney(c.pricePerGibMonth, c.currency)}/GiB·mo</span>
                    </td>
                    <td className={`${wide} px-3 py-2.5`}><span className="flex flex-wrap gap-1">{c.sources.map((s) => <Badge key={s} tone={s === "not connected" ? "neutral" : "info"}>{s}</Badge>)}</span></td>
                    <td className={`${wide} px-3 py-2.5 text-right`}>{c.workloads}</td>
                    <td className={`px-3 py-2.5 text-right align-top sm:align-middle ${c.ooms30d > 0 ? "font-medium text-red-600 dark:text-red-400" : ""}`}>{c.ooms30d}</td>
                    <td className={`${wide} px-3 py-2.5 text-right`}>{c.activeIncidents}</td>
                    <td className={`${wide} px-3 py-2.5 text-right`} data-testid="cluster-cost">{c.monthlyCost === null ? "—" : formatMoney(c.monthlyCost, c.currency)}</td>
                    <td className={`${wide} px-3 py-2.5 text-right ${(c.monthlyChange ?? 0) < 0 ? "text-emerald-600 dark:text-emerald-400" : (c.monthlyChange ?? 0) > 0 ? "text-red-600 dark:text-red-400" : ""}`} data-testid="cluster-change">
                      {c.monthlyChange === null ? "—" : <Link href={`/${org}/cost?cluster=${encodeURIComponent(c.slug)}`} className="hover:underline">{change}</Link>}
                    </td>
                    <td className={`${wide} px-4 py-2.5 text-right whitespace-nowrap text-zinc-500`}>{formatAgo(c.lastSyncAt, now)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data.all > 25 || data.total > data.pageSize || data.page > 1 || data.pageSize !== 25 ? <Pagination page={data.page} pageSize={data.pageSize} total={data.total} onPage={(page) => go({ page })} onPageSize={(pageSize) => go({ pageSize, page: 1 })} /> : null}
    </div>
  );
}
