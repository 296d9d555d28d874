"use client";
import { useRef, useState } from "react";

export function SortHeader<K extends string>({
  label, column, sort, dir, onSort, align = "left", className = "",
}: { label: string; column: K; sort: K; dir: "asc" | "desc"; onSort: (c: K) => void; align?: "left" | "right"; className?: string }) {
  const active = sort === column;
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"} className={`px-3 py-2 font-medium ${align === "right" ? "text-right" : "text-left"} ${className}`}>
      <button type="button" onClick={() => onSort(column)} className={`inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100 ${active ? "text-zinc-900 dark:text-zinc-100" : ""}`}>
        {label}
        <span aria-hidden className="text-[10px]">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </button>
    </th>
  );
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Rows shown, previous/next, and (with `onPageSize`) how many rows a page holds. */
export function Pagination({ page, pageSize, total, onPage, onPageSize }: { page: number; pageSize: number; total: number; onPage: (p: number) => void; onPageSize?: (size: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-2 border-t border-zinc-200 px-4 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
      <span className="flex items-center gap-3">
        <span className="tabular">{from}–{to} of {total}</span>
        {onPageSize ? (
          <label className="flex items-center gap-1">
            Rows per page
            <select value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))} className="rounded border border-zinc-300 bg-white px-1 py-0.5 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100">
              {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </label>
        ) : null}
      </span>
      <span className="flex items-center gap-2">
        <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)} className="rounded border border-zinc-300 px-2 py-1 disabled:opacity-40 dark:border-zinc-700">Previous</button>
        <span className="tabular">Page {page} of {pages}</span>
        <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)} className="rounded border border-zinc-300 px-2 py-1 disabled:opacity-40 dark:border-zinc-700">Next</button>
      </span>
    </nav>
  );
}

/** The filters in force, each removable, and "Clear all"; nothing when none is. */
export function ActiveFilters({ filters, onClearAll }: { filters: { label: string; value: string; onRemove: () => void }[]; onClearAll: () => void }) {
  if (filters.length === 0) return null;
  return (
    <div role="group" aria-label="Active filters" className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2 text-xs dark:border-zinc-800">
      <span className="text-zinc-600 dark:text-zinc-400">Filtered by</span>
      {filters.map((f) => (
        <span key={f.label} className="inline-flex max-w-full items-center gap-1 rounded-full bg-zinc-100 py-0.5 pr-1 pl-2.5 dark:bg-zinc-800">
          <span className="truncate" title={`${f.label}: ${f.value}`}>{f.label}: <span className="font-medium">{f.value}</span></span>
          <button type="button" onClick={f.onRemove} aria-label={`Remove filter ${f.label}: ${f.value}`} className="rounded-full px-1.5 py-0.5 hover:bg-zinc-200 dark:hover:bg-zinc-700">×</button>
        </span>
      ))}
      <button type="button" onClick={onClearAll} className="text-blue-700 hover:underline dark:text-blue-400">Clear all</button>
    </div>
  );
}

export function TableSkeleton({ rows = 8, cols = 6 }: { rows?: number; cols?: number }) {
  return (
    <tbody aria-busy="true">
      {Array.from({ length: rows }, (_, r) => (
        <tr key={r} className="border-t border-zinc-100 dark:border-zinc-800">
          {Array.from({ length: cols }, (_, c) => (
            <td key={c} className="px-3 py-2.5"><div className="h-3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" /></td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

/** Reads a JSON API answer, turning a non-2xx into an Error carrying the server's message. */
export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  if (!res.ok) throw new Error(body?.error ? `${body.error} (HTTP ${res.status})` : `HTTP ${res.status}`);
  return body as T;
}

/** Updates the page's query string without a navigation (state kept in the URL so a link reproduces the view). */
export function useUrlState() {
  return (next: Record<string, string | number | undefined>) => {
    const url = new URL(window.location.href);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === "") url.searchParams.delete(k);
      else url.searchParams.set(k, String(v));
    }
    window.history.replaceState(null, "", url);
  };
}

/**
 * A text filter that applies itself once typing pauses (300 ms), on Enter and on leaving the box; `clear`
 * empties the box (when a chip removes the filter). `current` is the filter in force.
 */
export function useTypedFilter(current: string | undefined, apply: (q: string | undefined) => void) {
  const [text, setText] = useState(current ?? "");
  const typing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stop = () => {
    if (typing.current) clearTimeout(typing.current);
  };
  return {
    text,
    onType: (value: string) => {
      setText(value);
      stop();
      typing.current = setTimeout(() => apply(value.trim() || undefined), 300);
    },
    applyNow: () => {
      stop();
      if ((text.trim() || undefined) !== current) apply(text.trim() || undefined);
    },
    clear: () => {
      stop();
      setText("");
    },
  };
}

/** A table's filter bar: the typed filter first, then whatever other controls the table has. */
export function FilterBar({ filter, placeholder, children }: { filter: ReturnType<typeof useTypedFilter>; placeholder: string; children?: React.ReactNode }) {
  return (
    <form
      role="search"
      className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        filter.applyNow();
      }}
    >
      <label className="max-w-full text-xs text-zinc-600 dark:text-zinc-400">
        Filter
        <input
          type="search"
          value={filter.text}
          onChange={(e) => filter.onType(e.target.value)}
          onBlur={filter.applyNow}
          placeholder={placeholder}
          className="mt-1 block w-64 max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
        />
      </label>
      {children}
    </form>
  );
}
