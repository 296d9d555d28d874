"use client";
import { useTimeFormat } from "@/components/time-zone";
import Link from "next/link";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatBytes, formatMoney } from "@/lib/format";
import { containerHref } from "@/lib/links";
import type { CostReport, CostRow, CurrencyTotals } from "@/lib/cost/report";
import { queryKeys, toQueryString } from "@/lib/query-keys";
import { isLabelKey } from "@/lib/kube/labels";
import { DEFAULT_COST_LABEL, type CostQuery } from "@/lib/schemas/cost";
import { Card, EmptyState, ErrorState, Skeleton, StatCard } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { fetchJson, Pagination, SortHeader, TableSkeleton, useUrlState } from "@/components/ui/table";
import { CostChart } from "./cost-chart";

type Sort = CostQuery["sort"];

export function useCostQuery(org: string, q: CostQuery) {
  return useQuery({
    queryKey: queryKeys.cost(org, q),
    queryFn: () => fetchJson<CostReport>(`/api/v1/orgs/${org}/cost?${toQueryString(urlParams(q))}`),
    placeholderData: keepPreviousData,
  });
}

const DEFAULTS = { direction: "all", sort: "delta", dir: "desc", page: 1, pageSize: 25, group: "cluster", label: DEFAULT_COST_LABEL } as const;

/** The query as URL parameters, defaults left out (a link reproduces the view). */
function urlParams(q: CostQuery): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(q)) out[k] = DEFAULTS[k as keyof typeof DEFAULTS] === v ? undefined : (v as string | number | undefined);
  return out;
}

const selectClass = "mt-1 block rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";
const wide = "hidden md:table-cell";
/** Columns a phone folds into the container cell. */
const phoneHidden = "hidden sm:table-cell";
const money = (v: number, c: string, signed = false) => formatMoney(v, c, signed);
/** A change with its sign; none for no change. */
const signedMoney = (v: number, c: string) => formatMoney(v, c, v !== 0);

export function CostView({ org, initial }: { org: string; initial: CostQuery }) {
  const [q, setQ] = useState(initial);
  const [search, setSearch] = useState(initial.q ?? "");
  const setUrl = useUrlState();
  const query = useCostQuery(org, q);
  const update = (next: Partial<CostQuery>) => {
    const merged = { ...q, ...next, page: next.page ?? 1 };
    setQ(merged);
    setUrl({ ...Object.fromEntries(Object.keys(merged).map((k) => [k, undefined])), ...urlParams(merged) });
  };
  const onSort = (column: Sort) => update({ sort: column, dir: q.sort === column && q.dir === "desc" ? "asc" : "desc" });
  const r = query.data;
  const csvHref = `/api/v1/orgs/${org}/cost?${toQueryString({ ...urlParams({ ...q, page: 1, pageSize: 25 }), format: "csv" })}`;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Cost of memory</h1>
          <p className="text-sm text-zinc-500">What memory requests cost a month, and what every recommendation would change. Prices per cluster, in the cluster settings.</p>
        </div>
        <a href={csvHref} download className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
          Download CSV
        </a>
      </div>
      {query.isError ? <ErrorState title="Could not load the cost report">{query.error.message}. Try again, or reload the page.</ErrorState> : null}
      {r && r.unavailable.length > 0 ? (
        <div role="status" className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {r.unavailable.map((u) => <p key={u.cluster}><span className="font-medium">{u.cluster}</span>: {u.reason}</p>)}
        </div>
      ) : null}
      {r ? r.totals.map((t) => <Totals key={t.currency} t={t} mixed={r.totals.length > 1} />) : <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">{[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-24" />)}</div>}
      {r && r.totals.length === 0 ? <Card><EmptyState title="No containers yet.">Connect a cluster to see what its memory costs.</EmptyState></Card> : null}
      <Card
        title="Where the money goes"
        action={
          <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
            <label className="flex items-center gap-2">By
              <select aria-label="Group by" value={q.group} onChange={(e) => update({ group: e.target.value as CostQuery["group"] })} className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100">
                <option value="cluster">cluster</option>
                <option value="namespace">namespace</option>
                <option value="label">label</option>
              </select>
            </label>
            {q.group === "label" ? <LabelKeyInput key={q.label} value={q.label} onChange={(label) => update({ label })} /> : null}
          </div>
        }
      >
        {r ? <Breakdown report={r} /> : <div className="p-4"><Skeleton className="h-40" /></div>}
      </Card>
      <Card title="Recommendations with a cost">
        <div className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <label className="text-xs text-zinc-500">Cluster
            <select value={q.cluster ?? ""} onChange={(e) => update({ cluster: e.target.value || undefined })} className={selectClass}>
              <option value="">All clusters</option>
              {(r?.clusters ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label className="text-xs text-zinc-500">Namespace
            <select value={q.namespace ?? ""} onChange={(e) => update({ namespace: e.target.value || undefined })} className={selectClass}>
              <option value="">All namespaces</option>
              {(r?.namespaces ?? []).map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
          <label className="text-xs text-zinc-500">Direction
            <select value={q.direction} onChange={(e) => update({ direction: e.target.value as CostQuery["direction"] })} className={selectClass}>
              <option value="all">Add and save</option>
              <option value="add">Add (starved)</option>
              <option value="save">Save (over-provisioned)</option>
              <option value="neutral">Same cost</option>
            </select>
          </label>
          <form className="text-xs text-zinc-500" onSubmit={(e) => { e.preventDefault(); update({ q: search.trim() || undefined }); }} role="search">
            <label>Search
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} onBlur={() => (search.trim() || undefined) !== q.q && update({ q: search.trim() || undefined })} placeholder="workload, container…" className={`${selectClass} w-44`} />
            </label>
          </form>
          {query.isFetching ? <span className="pb-2 text-xs text-zinc-400">Updating…</span> : null}
        </div>
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="bg-white text-xs text-zinc-500 dark:bg-zinc-900">
              <tr>
                <SortHeader label="Container" column="name" sort={q.sort} dir={q.dir} onSort={onSort} />
                <th scope="col" className={`${wide} px-3 py-2 text-left font-medium`}>Request</th>
                <th scope="col" className={`${wide} px-3 py-2 text-left font-medium`}>Limit</th>
                <SortHeader label="Per replica /mo" column="deltaPerReplica" sort={q.sort} dir={q.dir} onSort={onSort} align="right" className={phoneHidden} />
                <SortHeader label="Total /mo" column="delta" sort={q.sort} dir={q.dir} onSort={onSort} align="right" />
                <SortHeader label="OOMKills 30 d" column="ooms" sort={q.sort} dir={q.dir} onSort={onSort} align="right" className={phoneHidden} />
                <SortHeader label="Avoided" column="avoided" sort={q.sort} dir={q.dir} onSort={onSort} align="right" className={phoneHidden} />
                <SortHeader label="Risk" column="risk" sort={q.sort} dir={q.dir} onSort={onSort} />
              </tr>
            </thead>
            {query.isPending ? <TableSkeleton cols={8} /> : r ? <Rows org={org} rows={r.rows} /> : null}
          </table>
          {r && r.rows.length === 0 ? (
            <EmptyState title="No recommendation with a cost matches these filters.">{q.direction !== "all" || q.cluster || q.namespace || q.q ? "Widen the filters to see more." : "Every analysed container is sized right."}</EmptyState>
          ) : null}
          {r ? <Pagination page={q.page} pageSize={q.pageSize} total={r.total} onPage={(p) => update({ page: p })} /> : null}
        </div>
      </Card>
    </div>
  );
}

function Totals({ t, mixed }: { t: CurrencyTotals; mixed: boolean }) {
  const c = t.currency;
  return (
    <section aria-label={`Totals in ${c}`} className="space-y-2">
      {mixed ? <h2 className="text-sm font-semibold text-zinc-600 dark:text-zinc-300">Clusters priced in {c}</h2> : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Requests today" value={<span data-testid={`total-today-${c}`}>{money(t.monthlyCost, c)}/mo</span>} hint={`${t.containers} containers`} />
        <StatCard
          label="If every fix is applied"
          value={<span data-testid={`total-change-${c}`}>{money(t.monthlyChange, c, true)}/mo</span>}
          tone={t.monthlyChange > 0 ? "warning" : t.monthlyChange < 0 ? "ok" : "neutral"}
          hint={`${money(t.monthlyAfter, c)}/mo after`}
        />
        <StatCard
          label="To add where starved"
          value={<span data-testid={`total-add-${c}`}>{money(t.add.amount, c, true)}/mo</span>}
          tone={t.add.amount > 0 ? "critical" : "neutral"}
          hint={`${t.add.containers} containers · buys away ${t.add.oomKillsAvoided} of their ${t.add.oomKills} OOMKills (backtest, 30 d)`}
        />
        <StatCard
          label="Saved where over-provisioned"
          value={<span data-testid={`total-save-${c}`}>{money(t.save.amount, c, true)}/mo</span>}
          tone={t.save.amount < 0 ? "ok" : "neutral"}
          hint={`${t.save.containers} containers`}
        />
      </div>
      <p className="text-xs text-zinc-500">
        {t.noChange} containers already sized right (no change, counted above){t.neutral ? ` · ${t.neutral} fixes at the same cost` : ""}{t.withoutVerdict ? ` · ${t.withoutVerdict} without a verdict yet (today's cost only)` : ""}.
      </p>
    </section>
  );
}

/** The label key the breakdown groups by: applied on Enter or when it loses focus, only when Kubernetes would accept it. */
function LabelKeyInput({ value, onChange }: { value: string; onChange: (label: string) => void }) {
  const [draft, setDraft] = useState(value);
  const valid = isLabelKey(draft.trim());
  const apply = () => {
    if (valid && draft.trim() !== value) onChange(draft.trim());
  };
  return (
    <span className="flex flex-col">
      <input
        aria-label="Label key" value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === "Enter" && apply()}
        aria-invalid={!valid} aria-describedby={valid ? undefined : "label-key-error"} placeholder={DEFAULT_COST_LABEL} list="label-key-suggestions"
        className="w-52 max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-sm text-zinc-900 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
      />
      <datalist id="label-key-suggestions">
        {[DEFAULT_COST_LABEL, "app.kubernetes.io/part-of", "app.kubernetes.io/name", "app.kubernetes.io/component"].map((k) => <option key={k} value={k} />)}
      </datalist>
      {valid ? null : <span id="label-key-error" role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">Not a Kubernetes label key (e.g. team or app.kubernetes.io/part-of)</span>}
    </span>
  );
}

function Breakdown({ report }: { report: CostReport }) {
  const b = report.breakdown;
  if (b.groups.length === 0) return <EmptyState title="Nothing to break down yet." />;
  const currencies = [...new Set(b.groups.map((g) => g.currency))];
  return (
    <div>
      {currencies.map((c) => (
        <div key={c} className="border-b border-zinc-100 px-2 pt-3 last:border-b-0 dark:border-zinc-800">
          {currencies.length > 1 ? <p className="px-2 text-xs font-medium text-zinc-500">{c}</p> : null}
          <CostChart groups={b.groups.filter((g) => g.currency === c)} currency={c} />
        </div>
      ))}
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="text-xs text-zinc-500">
            <tr>
              <th scope="col" className="px-4 py-2 text-left font-medium">{b.group === "namespace" ? "Namespace" : b.group === "label" ? <span className="font-mono">{b.label}</span> : "Cluster"}</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Today /mo</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Change /mo</th>
              <th scope="col" className={`${wide} px-3 py-2 text-right font-medium`}>Add</th>
              <th scope="col" className={`${wide} px-4 py-2 text-right font-medium`}>Save</th>
            </tr>
          </thead>
          <tbody className="tabular">
            {b.groups.map((g) => (
              <tr key={`${g.key}/${g.currency}`} className="border-t border-zinc-100 dark:border-zinc-800">
                <td className="px-4 py-1.5 font-mono break-all">{g.key} <span className="text-xs text-zinc-500">· {g.containers}</span></td>
                <td className="px-3 py-1.5 text-right">{money(g.monthlyCost, g.currency)}</td>
                <td className={`px-3 py-1.5 text-right ${g.monthlyChange > 0 ? "text-red-600 dark:text-red-400" : g.monthlyChange < 0 ? "text-emerald-600 dark:text-emerald-400" : ""}`}>{money(g.monthlyChange, g.currency, true)}</td>
                <td className={`${wide} px-3 py-1.5 text-right text-zinc-600 dark:text-zinc-400`}>{money(g.add, g.currency, true)}</td>
                <td className={`${wide} px-4 py-1.5 text-right text-zinc-600 dark:text-zinc-400`}>{money(g.save, g.currency, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const RISK_TONE = { low: "ok", medium: "warning", high: "critical" } as const;

function Rows({ org, rows }: { org: string; rows: CostRow[] }) {
  const { formatTime } = useTimeFormat();
  return (
    <tbody className="tabular">
      {rows.map((r) => (
        <tr key={r.id} data-testid="cost-row" className="border-t border-zinc-100 align-top hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/50">
          <td className="px-3 py-2">
            <Link href={containerHref(org, r)} className="font-mono break-all text-blue-700 hover:underline dark:text-blue-400">{r.workloadName}/{r.container}</Link>
            <div className="text-xs text-zinc-500">{r.cluster} · {r.namespace} · {r.workloadKind} · {r.replicas} {r.replicas === 1 ? "replica" : "replicas"}</div>
            {/* phones: request and limit fold into the container cell */}
            <div className="mt-0.5 text-xs text-zinc-500 md:hidden">
              request {formatBytes(r.requestBytes)} → {formatBytes(r.recommendedRequestBytes)} · limit {formatBytes(r.limitBytes)} → {formatBytes(r.recommendedLimitBytes)}
              <span className="sm:hidden"> · {signedMoney(r.monthlyDeltaPerReplica, r.currency)} a replica{r.oomKills30d ? ` · ${r.oomKillsAvoided ?? 0} of ${r.oomKills30d} OOMKills avoided` : ""}</span>
            </div>
            {r.source === "stored" ? <div className="text-xs text-zinc-500">stored verdict{r.analyzedAt ? ` of ${formatTime(r.analyzedAt)}` : ""}</div> : null}
          </td>
          <td className={`${wide} px-3 py-2 whitespace-nowrap`} data-col="request">{formatBytes(r.requestBytes)} → <span className="font-medium">{formatBytes(r.recommendedRequestBytes)}</span></td>
          <td className={`${wide} px-3 py-2 whitespace-nowrap`} data-col="limit">{formatBytes(r.limitBytes)} → <span className="font-medium">{formatBytes(r.recommendedLimitBytes)}</span></td>
          <td className={`${phoneHidden} px-3 py-2 text-right whitespace-nowrap`} data-col="perReplica">{signedMoney(r.monthlyDeltaPerReplica, r.currency)}</td>
          <td className={`px-3 py-2 text-right font-medium whitespace-nowrap ${r.direction === "add" ? "text-red-600 dark:text-red-400" : r.direction === "save" ? "text-emerald-600 dark:text-emerald-400" : ""}`} data-col="total">{signedMoney(r.monthlyDeltaTotal, r.currency)}</td>
          <td className={`${phoneHidden} px-3 py-2 text-right`} data-col="ooms">{r.oomKills30d ?? "—"}</td>
          <td className={`${phoneHidden} px-3 py-2 text-right`} data-col="avoided">{r.oomKillsAvoided ?? "—"}</td>
          <td className="px-3 py-2" data-col="risk" title={r.riskReason ?? undefined}>{r.risk ? <Badge tone={RISK_TONE[r.risk]}>{r.risk}</Badge> : "—"}</td>
        </tr>
      ))}
    </tbody>
  );
}
