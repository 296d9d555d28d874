"use client";
import { useTimeFormat } from "@/components/time-zone";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { AuditEntry } from "@/lib/orgs/audit";
import { inputClass } from "@/components/clusters/form-bits";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/card";
import { fetchJson } from "@/components/ui/table";

const describe = (e: AuditEntry) => {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const parts = Object.entries(d).filter(([, v]) => v !== undefined && v !== null && typeof v !== "object").map(([k, v]) => `${k}: ${String(v)}`);
  return parts.join(" · ");
};

/** The audit log, newest first, filtered by action and actor, paged with "Older". */
export function AuditLog({ org }: { org: string }) {
  const { formatTimeSeconds } = useTimeFormat();
  const [action, setAction] = useState("");
  const [actor, setActor] = useState("");
  const [pages, setPages] = useState<number[]>([]);
  const before = pages[pages.length - 1];
  const params = new URLSearchParams({ ...(action ? { action } : {}), ...(actor ? { actor } : {}), ...(before ? { before: String(before) } : {}), limit: "50" });
  const q = useQuery({
    queryKey: ["audit", org, { action, actor, before }],
    queryFn: () => fetchJson<{ entries: AuditEntry[]; nextBefore: number | null }>(`/api/v1/orgs/${encodeURIComponent(org)}/audit?${params}`),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="text-sm">
      <div className="flex flex-wrap gap-2 border-b border-zinc-200 p-3 dark:border-zinc-800">
        <label className="space-y-1">
          <span className="block text-xs text-zinc-500">Action</span>
          <select value={action} onChange={(e) => { setAction(e.target.value); setPages([]); }} className={`${inputClass} w-44`}>
            <option value="">all</option>
            <option value="cluster">clusters</option>
            <option value="sso">single sign-on</option>
            <option value="member">members and roles</option>
            <option value="invite">invitations</option>
            <option value="share_link">share links</option>
            <option value="setup_link">setup links</option>
          </select>
        </label>
        <label className="space-y-1">
          <span className="block text-xs text-zinc-500">By (email contains)</span>
          <input value={actor} onChange={(e) => { setActor(e.target.value); setPages([]); }} className={`${inputClass} w-56`} placeholder="alice@" />
        </label>
      </div>
      {q.isPending ? (
        <div className="space-y-2 p-4"><Skeleton className="h-5 w-full" /><Skeleton className="h-5 w-full" /><Skeleton className="h-5 w-3/4" /></div>
      ) : q.isError ? (
        <ErrorState title="Could not load the audit log">{q.error.message}</ErrorState>
      ) : q.data.entries.length === 0 ? (
        <EmptyState title="No changes recorded">{action || actor ? "Nothing matches these filters." : "Changes appear here as people configure the organization."}</EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {q.data.entries.map((e) => (
              <li key={e.id} className="px-4 py-2">
                <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                  <span className="font-mono text-xs font-medium">{e.action}</span>
                  <span className="tabular text-xs text-zinc-500">{formatTimeSeconds(e.at)}</span>
                </div>
                <div className="text-xs text-zinc-600 dark:text-zinc-400">
                  {e.actor ?? "a former member"}{e.ip ? ` from ${e.ip}` : ""}{describe(e) ? ` — ${describe(e)}` : ""}
                </div>
              </li>
            ))}
          </ul>
          <div className="flex justify-between border-t border-zinc-200 p-3 text-xs dark:border-zinc-800">
            <button type="button" disabled={pages.length === 0} onClick={() => setPages((p) => p.slice(0, -1))} className="text-blue-700 hover:underline disabled:text-zinc-400 disabled:no-underline dark:text-blue-400">Newer</button>
            <button type="button" disabled={!q.data.nextBefore} onClick={() => setPages((p) => [...p, q.data.nextBefore!])} className="text-blue-700 hover:underline disabled:text-zinc-400 disabled:no-underline dark:text-blue-400">Older</button>
          </div>
        </>
      )}
    </div>
  );
}
