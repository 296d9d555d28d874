"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import type { AtRiskPage } from "@/lib/at-risk/list";
import type { AtRiskQuery } from "@/lib/schemas/alerts";

const selectClass = "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 sm:w-60 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";

const SEVERITY_LABELS: Record<AtRiskQuery["severity"], string> = {
  all: "Everything at risk",
  critical: "Critical",
  warning: "Warning",
  leak: "Projected to reach the limit",
  stalling: "Stalling on memory (PSI)",
};

/** Filters of the at-risk page, kept in the URL (a link reproduces the view); a change goes back to page 1. */
export function AtRiskFilters({ query, data }: { query: AtRiskQuery; data: Pick<AtRiskPage, "options" | "counts"> }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, start] = useTransition();
  const set = (key: string, value: string, reset: string[] = []) => {
    const next = new URLSearchParams(params.toString());
    if (value && value !== "all") next.set(key, value);
    else next.delete(key);
    for (const k of ["page", ...reset]) next.delete(k);
    start(() => router.push(`${pathname}${next.size ? `?${next}` : ""}`));
  };
  return (
    <div className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:flex-wrap sm:items-end" aria-busy={pending}>
      <label className="text-xs text-zinc-500">Cluster
        <select aria-label="Cluster" value={query.cluster ?? ""} onChange={(e) => set("cluster", e.target.value, ["namespace"])} className={selectClass}>
          <option value="">All clusters</option>
          {data.options.clusters.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </label>
      <label className="text-xs text-zinc-500">Namespace
        <select aria-label="Namespace" value={query.namespace ?? ""} onChange={(e) => set("namespace", e.target.value)} className={selectClass}>
          <option value="">All namespaces</option>
          {data.options.namespaces.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      <label className="text-xs text-zinc-500">Severity
        <select aria-label="Severity" value={query.severity} onChange={(e) => set("severity", e.target.value)} className={selectClass}>
          {(Object.keys(SEVERITY_LABELS) as AtRiskQuery["severity"][]).map((s) => (
            <option key={s} value={s}>{SEVERITY_LABELS[s]} ({data.counts[s]})</option>
          ))}
        </select>
      </label>
      {pending ? <span className="text-xs text-zinc-500" role="status">Updating…</span> : null}
    </div>
  );
}

/** Previous / next page links of the at-risk list. */
export function AtRiskPager({ page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const go = (p: number) => {
    const next = new URLSearchParams(params.toString());
    if (p > 1) next.set("page", String(p));
    else next.delete("page");
    router.push(`${pathname}${next.size ? `?${next}` : ""}`);
  };
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">
      <span className="tabular">{from}–{Math.min(total, page * pageSize)} of {total}</span>
      <span className="flex items-center gap-2">
        <button type="button" disabled={page <= 1} onClick={() => go(page - 1)} className="rounded border border-zinc-200 px-2 py-1 disabled:opacity-40 dark:border-zinc-700">Previous</button>
        <span className="tabular">Page {page} of {pages}</span>
        <button type="button" disabled={page >= pages} onClick={() => go(page + 1)} className="rounded border border-zinc-200 px-2 py-1 disabled:opacity-40 dark:border-zinc-700">Next</button>
      </span>
    </nav>
  );
}
