"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { send } from "@/components/clusters/form-bits";
import type { IncidentView } from "@/lib/incidents/incident-view";
import { queryKeys } from "@/lib/query-keys";
import { SNOOZE_PRESETS } from "@/lib/schemas/incidents";
import { zonedLocalToUtc, zoneName } from "@/lib/time-zone";
import { useTimeZone } from "@/components/time-zone";

const button = "rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm font-medium hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";
const primary = "rounded-md bg-zinc-900 px-2.5 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900";
const select = "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";

/** Acknowledge, assign, snooze, resolve and reopen: for members and up (the API refuses the rest). */
export function IncidentControls({ org, v, currentUserId }: { org: string; v: IncidentView; currentUserId: string }) {
  const qc = useQueryClient();
  const tz = useTimeZone();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [until, setUntil] = useState<string | null>(null);
  const patch = async (body: Record<string, unknown>) => {
    setPending(true);
    setError(null);
    try {
      await send(`/api/v1/orgs/${encodeURIComponent(org)}/incidents/${v.id}`, "PATCH", body);
      await Promise.all([qc.invalidateQueries({ queryKey: queryKeys.incident(org, v.id) }), qc.invalidateQueries({ queryKey: ["incidents", org] }), qc.invalidateQueries({ queryKey: ["container", org] })]);
      setUntil(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };
  const active = v.status !== "resolved";
  const assignees = v.assignees ?? [];
  const mine = v.assignee?.userId === currentUserId;
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Incident actions" role="group">
      {v.status === "open" ? <button type="button" disabled={pending} onClick={() => patch({ status: "acknowledged" })} className={primary}>Acknowledge</button> : null}
      {active ? <button type="button" disabled={pending} onClick={() => patch({ status: "resolved" })} className={button}>Resolve</button> : null}
      {!active ? <button type="button" disabled={pending} onClick={() => patch({ status: "open" })} className={button}>Reopen</button> : null}
      <label className="flex items-center gap-1.5 text-sm text-zinc-500">
        <span>Assignee</span>
        <select aria-label="Assignee" disabled={pending} value={v.assignee?.userId ?? ""} onChange={(e) => patch({ assigneeUserId: e.target.value || null })} className={select}>
          <option value="">Unassigned</option>
          {v.assignee && !assignees.some((a) => a.userId === v.assignee!.userId) ? <option value={v.assignee.userId}>{v.assignee.name}</option> : null}
          {assignees.map((a) => <option key={a.userId} value={a.userId}>{a.name}{a.userId === currentUserId ? " (you)" : ""}</option>)}
        </select>
      </label>
      {!mine && assignees.some((a) => a.userId === currentUserId) ? (
        <button type="button" disabled={pending} onClick={() => patch({ assigneeUserId: currentUserId })} className={button}>Assign to me</button>
      ) : null}
      {active && v.snoozedUntil ? (
        <button type="button" disabled={pending} onClick={() => patch({ snooze: null })} className={button}>Unsnooze</button>
      ) : active ? (
        <label className="flex items-center gap-1.5 text-sm text-zinc-500">
          <span className="sr-only">Snooze</span>
          <select
            aria-label="Snooze" disabled={pending} value=""
            onChange={(e) => (e.target.value === "until" ? setUntil("") : e.target.value ? patch({ snooze: e.target.value }) : undefined)}
            className={select}
          >
            <option value="">Snooze…</option>
            {Object.keys(SNOOZE_PRESETS).map((p) => <option key={p} value={p}>for {p}</option>)}
            <option value="until">until a time…</option>
          </select>
        </label>
      ) : null}
      {until !== null ? (
        <form
          className="flex flex-wrap items-center gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            const at = until ? zonedLocalToUtc(until, tz) : null;
            if (at !== null) void patch({ snoozeUntil: new Date(at).toISOString() });
          }}
        >
          <label className="text-sm text-zinc-500">Until <span className="text-xs">({zoneName(tz)} time)</span>{" "}
            <input type="datetime-local" required value={until} onChange={(e) => setUntil(e.target.value)} className={select} />
          </label>
          <button type="submit" disabled={pending || !until} className={button}>Snooze</button>
          <button type="button" onClick={() => setUntil(null)} className="text-sm text-zinc-500 hover:underline">Cancel</button>
        </form>
      ) : null}
      {error ? <span role="alert" className="text-sm text-red-600 dark:text-red-400">{error}</span> : null}
    </div>
  );
}
