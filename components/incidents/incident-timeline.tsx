"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { issueFor, send } from "@/components/clusters/form-bits";
import { parseMemorySpec } from "@/lib/incidents/memory-spec";
import type { IncidentView, TimelineEntry } from "@/lib/incidents/incident-view";
import { queryKeys } from "@/lib/query-keys";
import { NOTE_MAX_CHARS } from "@/lib/schemas/incidents";
import { specDiff } from "./incident-format";
import { useTimeFormat } from "@/components/time-zone";

/** The incident's story, newest first: kills and other terminations, what people and Headroom did, notes. */
export function IncidentTimeline({ org, v, canAct }: { org: string; v: IncidentView; canAct: boolean }) {
  return (
    <div>
      {canAct ? <NoteForm org={org} incidentId={v.id} /> : null}
      {v.timeline.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-zinc-500">Nothing recorded yet.</p>
      ) : (
        <ol aria-label="Timeline" tabIndex={0} className="max-h-[36rem] divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800">
          {v.timeline.map((e, i) => <Entry key={`${e.kind}-${e.at}-${i}`} e={e} />)}
        </ol>
      )}
      {v.timelineOmitted > 0 ? <p className="border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800">{v.timelineOmitted} earlier terminations not shown.</p> : null}
    </div>
  );
}

const dot = (tone: string) => <span aria-hidden className={`mt-1.5 inline-block h-2 w-2 shrink-0 rounded-full ${tone}`} />;

function Entry({ e }: { e: TimelineEntry }) {
  const { formatTime } = useTimeFormat();
  const time = <time dateTime={e.at} className="tabular shrink-0 text-xs text-zinc-500 sm:w-44">{formatTime(e.at)}</time>;
  if (e.kind === "termination") {
    const oom = e.reason === "OOMKilled";
    const tone = oom ? "bg-red-600" : e.reason === "Evicted" || e.reason === "Killed" ? "bg-amber-500" : "bg-zinc-400";
    return (
      <li data-kind="termination" className="flex flex-col gap-0.5 px-4 py-2 sm:flex-row sm:gap-3">
        {time}
        <div className="flex min-w-0 gap-2">
          {dot(tone)}
          <div className="min-w-0 text-sm">
            <span className={`font-medium ${oom ? "text-red-700 dark:text-red-400" : ""}`}>{e.reason}</span>
            {e.exitCode !== null ? <span className="text-zinc-500"> · exit {e.exitCode}</span> : null}
            {e.containerKind !== "main" ? <span className="text-zinc-500"> · {e.containerKind} container</span> : null}
            <div className="text-xs break-all text-zinc-500">
              pod <span className="font-mono">{e.pod}</span>{e.node ? <> on <span className="font-mono">{e.node}</span></> : null}{e.restartCount > 0 ? <> · restart #{e.restartCount}</> : null}
            </div>
            {e.message ? <div className="text-xs break-words text-zinc-500">{e.message}</div> : null}
          </div>
        </div>
      </li>
    );
  }
  if (e.kind === "note") {
    return (
      <li data-kind="note" className="flex flex-col gap-0.5 px-4 py-2 sm:flex-row sm:gap-3">
        {time}
        <div className="flex min-w-0 gap-2">
          {dot("bg-blue-500")}
          <div className="min-w-0 text-sm">
            <span className="font-medium">{e.author ?? "A former member"}</span> <span className="text-zinc-500">noted</span>
            <p className="mt-0.5 break-words whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{e.body}</p>
          </div>
        </div>
      </li>
    );
  }
  if (e.kind === "alert") {
    const firing = e.status === "firing";
    return (
      <li data-kind="alert" className="flex flex-col gap-0.5 px-4 py-2 sm:flex-row sm:gap-3">
        {time}
        <div className="flex min-w-0 gap-2">
          {dot(firing ? (e.severity === "critical" ? "bg-red-600" : "bg-amber-500") : "bg-emerald-500")}
          <div className="min-w-0 text-sm">
            <span className="font-medium">Alert {e.alertname}</span>
            <span className="text-zinc-500"> · {firing ? "firing" : `resolved${e.endsAt ? ` ${formatTime(e.endsAt)}` : ""}`}{e.severity ? ` · ${e.severity}` : ""} · from Alertmanager</span>
            {e.summary ? <div className="text-xs break-words text-zinc-500">{e.summary}</div> : null}
          </div>
        </div>
      </li>
    );
  }
  const { text, tone } = describeEvent(e, formatTime);
  return (
    <li data-kind="event" className="flex flex-col gap-0.5 px-4 py-2 sm:flex-row sm:gap-3">
      {time}
      <div className="flex min-w-0 gap-2">
        {dot(tone)}
        <p className="min-w-0 text-sm break-words">{text}</p>
      </div>
    </li>
  );
}

/** An audit entry in words: "Acknowledged by maria", "Fix applied: limit 256Mi → 512Mi". */
function describeEvent(e: Extract<TimelineEntry, { kind: "event" }>, formatTime: (iso: string) => string): { text: string; tone: string } {
  const by = e.actor ? ` by ${e.actor}` : "";
  const d = e.data ?? {};
  switch (e.action) {
    case "incident.acknowledged": return { text: `Acknowledged${by}`, tone: "bg-amber-500" };
    case "incident.resolved": return { text: `Resolved${by}`, tone: "bg-emerald-500" };
    case "incident.resolved_quiet": return { text: "Resolved: no OOMKill for a week", tone: "bg-emerald-500" };
    case "incident.reopened": return { text: e.actor ? `Reopened${by}` : `Reopened: ${typeof d.reason === "string" ? d.reason : "killed again"}`, tone: "bg-red-600" };
    case "incident.assigned": return { text: `Assigned to ${typeof d.toName === "string" ? d.toName : "a member"}${by}`, tone: "bg-zinc-400" };
    case "incident.unassigned": return { text: `Unassigned${by}`, tone: "bg-zinc-400" };
    case "incident.snoozed": return { text: `Snoozed until ${typeof d.until === "string" ? formatTime(d.until) : "later"}${by}`, tone: "bg-zinc-400" };
    case "incident.unsnoozed": return { text: `Snooze ended${by}`, tone: "bg-zinc-400" };
    case "incident.fix_applied": return { text: `Fix applied: ${specDiff(parseMemorySpec(d.before), parseMemorySpec(d.after)) || "the memory spec changed"}`, tone: "bg-blue-500" };
    case "incident.fix_reverted": return { text: "The change was undone: the spec is back to what it was at opening", tone: "bg-zinc-400" };
    case "incident.fix_verified": return { text: "Fix verified: 7 days without an OOMKill on the new spec", tone: "bg-emerald-500" };
    default: return { text: `${e.action.replace(/^incident\./, "").replace(/_/g, " ")}${by}`, tone: "bg-zinc-400" };
  }
}

function NoteForm({ org, incidentId }: { org: string; incidentId: string }) {
  const qc = useQueryClient();
  const [body, setBody] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setPending(true);
    setError(null);
    try {
      await send(`/api/v1/orgs/${encodeURIComponent(org)}/incidents/${incidentId}/notes`, "POST", { body });
      setBody("");
      await qc.invalidateQueries({ queryKey: queryKeys.incident(org, incidentId) });
    } catch (e) {
      setError(issueFor(e, "body") ?? (e as Error).message);
    } finally {
      setPending(false);
    }
  };
  return (
    <form
      className="space-y-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor="incident-note" className="block text-sm font-medium">Add a note</label>
      <textarea
        id="incident-note" rows={2} maxLength={NOTE_MAX_CHARS} value={body} onChange={(e) => setBody(e.target.value)}
        placeholder="What you found, what you changed, who to ask…"
        className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950"
      />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending || body.trim().length === 0} className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900">Add note</button>
        <span className="tabular text-xs text-zinc-500">{body.trim().length}/{NOTE_MAX_CHARS}</span>
        {error ? <span role="alert" className="text-sm text-red-600 dark:text-red-400">{error}</span> : null}
      </div>
    </form>
  );
}
