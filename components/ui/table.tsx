"use client";

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

export function Pagination({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">
      <span className="tabular">{from}–{to} of {total}</span>
      <span className="flex items-center gap-2">
        <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)} className="rounded border border-zinc-200 px-2 py-1 disabled:opacity-40 dark:border-zinc-700">Previous</button>
        <span className="tabular">Page {page} of {pages}</span>
        <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)} className="rounded border border-zinc-200 px-2 py-1 disabled:opacity-40 dark:border-zinc-700">Next</button>
      </span>
    </nav>
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
