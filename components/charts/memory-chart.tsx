"use client";
import { useId, useSyncExternalStore } from "react";
import { CartesianGrid, ComposedChart, Line, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { oomMarkers, type ChartPoint } from "@/lib/charts/downsample";
import { formatBytes } from "@/lib/format";
import { formatClock, formatDateTime, formatShortDate, zoneName, zoneOffsetMs } from "@/lib/time-zone";
import { useTimeZone } from "@/components/time-zone";
import { memoryTicks } from "@/lib/charts/ticks";

const Mi = 1024 * 1024;

export interface MemoryChartProps {
  points: ChartPoint[];
  ooms: number[];
  limitBytes: number | null;
  requestBytes: number | null;
  p95Bytes: number | null;
  projection: { t0: number; v0: number; t1: number; v1: number } | null;
  windowSeconds: number;
}

type Row = { t: number; ws?: number; rss?: number | null; cache?: number | null; projection?: number };

const subscribe = () => () => {};
/** True after hydration: Recharts measures its container, which the server cannot. */
const useMounted = () => useSyncExternalStore(subscribe, () => true, () => false);
const subscribeWidth = (cb: () => void) => {
  const m = window.matchMedia("(max-width: 639px)");
  m.addEventListener("change", cb);
  return () => m.removeEventListener("change", cb);
};
/** A phone's width: fewer ticks, the reference values in the legend instead of beside the lines. */
const useNarrow = () => useSyncExternalStore(subscribeWidth, () => window.matchMedia("(max-width: 639px)").matches, () => false);

/** Tick times on the zone's hour or day boundaries (every 3 h / 1 d / 3 d; twice as sparse on a phone). */
function ticksFor(startMs: number, endMs: number, windowSeconds: number, tz: string, narrow: boolean): number[] {
  const hour = 3_600_000;
  const stepMs = windowSeconds <= 86_400 ? (narrow ? 6 : 3) * hour : windowSeconds <= 8 * 86_400 ? (narrow ? 2 : 1) * 24 * hour : (narrow ? 7 : 3) * 24 * hour;
  const offset = zoneOffsetMs(startMs, tz);
  const out: number[] = [];
  for (let local = Math.ceil((startMs + offset) / stepMs) * stepMs; local - offset <= endMs; local += stepMs) out.push(local - offset);
  return out;
}

/** Right-hand labels of the reference lines, pushed apart when their lines are closer than a text line. */
function placeLabels(lines: { key: string; v: number; text: string }[], domainMax: number, plotPx: number) {
  const sorted = [...lines].sort((a, b) => b.v - a.v);
  const dy: Record<string, number> = {};
  let lastY = -Infinity;
  for (const l of sorted) {
    const y = plotPx - (l.v / domainMax) * plotPx;
    const placed = Math.max(y, lastY + 13);
    dy[l.key] = placed - y;
    lastY = placed;
  }
  return dy;
}

function ChartTooltip({ active, payload, tz }: { active?: boolean; payload?: { payload: Row }[]; tz: string }) {
  if (!active || !payload?.length) return null;
  const row = payload[0]!.payload;
  const line = (label: string, v: number | null | undefined, color: string) =>
    v === undefined || v === null ? null : (
      <div className="flex justify-between gap-4"><span style={{ color }}>{label}</span><span className="tabular font-mono">{formatBytes(v * Mi)}</span></div>
    );
  return (
    <div className="rounded border border-zinc-200 bg-white px-3 py-2 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
      <div className="mb-1 font-medium">{formatDateTime(row.t, tz)}</div>
      {line("working set", row.ws, "#2563eb")}
      {line("RSS", row.rss, "#71717a")}
      {line("cache", row.cache, "#a1a1aa")}
      {line("projected", row.projection, "#dc2626")}
    </div>
  );
}

export function MemoryChart({ points, ooms, limitBytes, requestBytes, p95Bytes, projection, windowSeconds }: MemoryChartProps) {
  const mounted = useMounted();
  const narrow = useNarrow();
  const tz = useTimeZone();
  const summaryId = useId();
  const rows: Row[] = points.map((p) => ({ t: p.t * 1000, ws: p.ws / Mi, rss: p.rss === null ? null : p.rss / Mi, cache: p.cache === null ? null : p.cache / Mi }));
  // a leak's projection continues past now, shown up to a quarter of the window beyond it
  let projectionEnd: number | null = null;
  if (projection && rows.length) {
    const last = rows[rows.length - 1]!;
    last.projection = projection.v0 / Mi;
    const horizon = projection.t0 + windowSeconds / 4;
    const t1 = Math.min(projection.t1, horizon);
    const v1 = projection.v0 + ((projection.v1 - projection.v0) * (t1 - projection.t0)) / (projection.t1 - projection.t0);
    rows.push({ t: t1 * 1000, projection: v1 / Mi });
    projectionEnd = projection.t1 * 1000;
  }
  const maxY = Math.max(...rows.map((r) => Math.max(r.ws ?? 0, r.rss ?? 0, r.cache ?? 0, r.projection ?? 0)), (limitBytes ?? 0) / Mi, (requestBytes ?? 0) / Mi);
  const yTicks = memoryTicks(maxY * Mi * 1.04, narrow ? 4 : 6).map((b) => b / Mi);
  const domainMax = yTicks[yTicks.length - 1]!;
  const sameLine = limitBytes !== null && requestBytes !== null && limitBytes === requestBytes;
  const refs = [
    limitBytes ? { key: "limit", v: limitBytes / Mi, text: `${sameLine ? "limit = request" : "limit"} ${formatBytes(limitBytes)}` } : null,
    requestBytes && !sameLine ? { key: "request", v: requestBytes / Mi, text: `request ${formatBytes(requestBytes)}` } : null,
    p95Bytes ? { key: "p95", v: p95Bytes / Mi, text: `p95 ${formatBytes(p95Bytes)}` } : null,
  ].filter((x): x is { key: string; v: number; text: string } => x !== null);
  const text = Object.fromEntries(refs.map((r) => [r.key, r.text]));
  const dy = placeLabels(refs, domainMax, narrow ? 216 : 280);
  const ticks = rows.length ? ticksFor(rows[0]!.t, rows[rows.length - 1]!.t, windowSeconds, tz, narrow) : [];
  // each kill's marker sits on the spike it ended, not on the time axis
  const oomMarks = oomMarkers(points, ooms).map((m) => ({ ms: m.t * 1000, y: m.ws / Mi }));
  const peak = Math.max(0, ...points.map((p) => p.ws));
  const latest = points.length ? points[points.length - 1]!.ws : null;
  const days = windowSeconds / 86_400;
  const summary = [
    `${days >= 1 ? `Last ${days} day${days === 1 ? "" : "s"}` : `Last ${windowSeconds / 3600} hours`}, times in ${zoneName(tz)}:`,
    refs.map((r) => r.text).join(", ") + (refs.length ? ";" : ""),
    `peak working set ${formatBytes(peak)}${latest !== null ? `, latest ${formatBytes(latest)}` : ""};`,
    `${oomMarks.length} OOMKill${oomMarks.length === 1 ? "" : "s"} in view${oomMarks.length ? ` (last at ${formatDateTime(oomMarks[oomMarks.length - 1]!.ms, tz)})` : ""}.`,
    projectionEnd ? `Projected to reach the limit at ${formatDateTime(projectionEnd, tz)}.` : "",
  ].join(" ");
  const label = (v: number) => (windowSeconds <= 86_400 ? formatClock(v, tz) : formatShortDate(v, tz));
  return (
    <div>
    <div
      className="h-64 w-full sm:h-80"
      role="img"
      aria-label={`Memory chart: working set${limitBytes ? ` against the ${formatBytes(limitBytes)} limit` : ""}, ${oomMarks.length} OOMKills in view`}
      aria-describedby={summaryId}
    >
      {mounted ? (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 16, right: narrow ? 8 : 112, bottom: 4, left: narrow ? 0 : 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.08} />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} ticks={ticks} tickFormatter={label} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} minTickGap={narrow ? 12 : 24} />
            <YAxis domain={[0, domainMax]} ticks={yTicks} interval={0} tickFormatter={(v: number) => (v === 0 ? "0" : formatBytes(v * Mi))} tick={{ fontSize: 11 }} width={narrow ? 44 : 56} stroke="currentColor" strokeOpacity={0.4} />
            <Tooltip content={<ChartTooltip tz={tz} />} />
            {limitBytes ? <ReferenceLine y={limitBytes / Mi} stroke="#dc2626" strokeDasharray="6 4" label={narrow ? undefined : { value: text.limit, position: "right", fontSize: 11, fill: "#dc2626", dy: dy.limit }} /> : null}
            {requestBytes && !sameLine ? <ReferenceLine y={requestBytes / Mi} stroke="#71717a" strokeDasharray="4 4" label={narrow ? undefined : { value: text.request, position: "right", fontSize: 11, fill: "#71717a", dy: dy.request }} /> : null}
            {p95Bytes ? <ReferenceLine y={p95Bytes / Mi} stroke="#2563eb" strokeOpacity={0.35} label={narrow ? undefined : { value: text.p95, position: "right", fontSize: 11, fill: "#2563eb", opacity: 0.7, dy: dy.p95 }} /> : null}
            {oomMarks.map((m) => <ReferenceLine key={`l${m.ms}`} x={m.ms} stroke="#dc2626" strokeOpacity={0.18} />)}
            {oomMarks.map((m) => <ReferenceDot key={`d${m.ms}`} x={m.ms} y={m.y} r={4} fill="#dc2626" stroke="white" ifOverflow="visible" />)}
            <Line dataKey="cache" stroke="#a1a1aa" strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="rss" stroke="#71717a" strokeWidth={1} dot={false} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="ws" stroke="#2563eb" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
            <Line dataKey="projection" stroke="#dc2626" strokeWidth={2} strokeDasharray="2 4" dot={false} isAnimationActive={false} connectNulls />
          </ComposedChart>
        </ResponsiveContainer>
      ) : (
        <div className="h-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
      )}
    </div>
      <ChartLegend refs={refs} ooms={oomMarks.length} projectionEnd={projectionEnd} tz={tz} />
      <p id={summaryId} className="sr-only">{summary}</p>
    </div>
  );
}

/** What each line is, with the reference values, wrapping on a phone; the zone the times are in. */
function ChartLegend({ refs, ooms, projectionEnd, tz }: { refs: { key: string; text: string }[]; ooms: number; projectionEnd: number | null; tz: string }) {
  const line = (color: string, label: string, dashed = false) => (
    <li className="flex items-center gap-1.5"><span aria-hidden="true" className="inline-block h-0 w-4 border-t-2" style={{ borderColor: color, borderStyle: dashed ? "dashed" : "solid" }} />{label}</li>
  );
  const ref = (key: string) => refs.find((r) => r.key === key)?.text;
  return (
    <ul aria-label="Legend" className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 px-2 text-xs text-zinc-600 dark:text-zinc-400">
      {line("#2563eb", "working set")}
      {line("#71717a", "RSS")}
      {line("#a1a1aa", "cache")}
      {ref("limit") ? line("#dc2626", ref("limit")!, true) : null}
      {ref("request") ? line("#71717a", ref("request")!, true) : null}
      {ref("p95") ? line("#93c5fd", ref("p95")!) : null}
      <li className="flex items-center gap-1.5"><span aria-hidden="true" className="inline-block h-2 w-2 rounded-full bg-red-600" />OOMKill ({ooms} in view)</li>
      {projectionEnd ? <li className="text-red-700 dark:text-red-400">dotted: projected to hit the limit {formatDateTime(projectionEnd, tz)}</li> : null}
      <li>times in {zoneName(tz)}</li>
    </ul>
  );
}
