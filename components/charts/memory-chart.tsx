"use client";
import { useSyncExternalStore } from "react";
import { CartesianGrid, ComposedChart, Line, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { oomMarkers, type ChartPoint } from "@/lib/charts/downsample";
import { formatBytes } from "@/lib/format";

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
/** True after hydration: the axes use the viewer's time zone, which the server does not know. */
const useMounted = () => useSyncExternalStore(subscribe, () => true, () => false);

function timeLabel(ms: number, windowSeconds: number) {
  const d = new Date(ms);
  return windowSeconds <= 86_400
    ? d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleDateString([], { month: "short", day: "numeric" });
}

/** Tick times on local hour/day boundaries, so no two ticks read the same. */
function ticksFor(startMs: number, endMs: number, windowSeconds: number): number[] {
  const d = new Date(startMs);
  const out: number[] = [];
  if (windowSeconds <= 86_400) {
    d.setMinutes(0, 0, 0);
    d.setHours(Math.ceil(d.getHours() / 3) * 3);
    for (; d.getTime() <= endMs; d.setHours(d.getHours() + 3)) if (d.getTime() >= startMs) out.push(d.getTime());
  } else {
    const every = windowSeconds > 8 * 86_400 ? 3 : 1;
    d.setHours(24, 0, 0, 0);
    for (; d.getTime() <= endMs; d.setDate(d.getDate() + every)) out.push(d.getTime());
  }
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

function ChartTooltip({ active, payload }: { active?: boolean; payload?: { payload: Row }[] }) {
  if (!active || !payload?.length) return null;
  const row = payload[0]!.payload;
  const line = (label: string, v: number | null | undefined, color: string) =>
    v === undefined || v === null ? null : (
      <div className="flex justify-between gap-4"><span style={{ color }}>{label}</span><span className="tabular font-mono">{formatBytes(v * Mi)}</span></div>
    );
  return (
    <div className="rounded border border-zinc-200 bg-white px-3 py-2 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
      <div className="mb-1 font-medium">{new Date(row.t).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })}</div>
      {line("working set", row.ws, "#2563eb")}
      {line("RSS", row.rss, "#71717a")}
      {line("cache", row.cache, "#a1a1aa")}
      {line("projected", row.projection, "#dc2626")}
    </div>
  );
}

export function MemoryChart({ points, ooms, limitBytes, requestBytes, p95Bytes, projection, windowSeconds }: MemoryChartProps) {
  const mounted = useMounted();
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
  const domainMax = Math.ceil((maxY * 1.08) / 64) * 64 || 64;
  const sameLine = limitBytes !== null && requestBytes !== null && limitBytes === requestBytes;
  const refs = [
    limitBytes ? { key: "limit", v: limitBytes / Mi, text: `${sameLine ? "limit = request" : "limit"} ${formatBytes(limitBytes)}` } : null,
    requestBytes && !sameLine ? { key: "request", v: requestBytes / Mi, text: `request ${formatBytes(requestBytes)}` } : null,
    p95Bytes ? { key: "p95", v: p95Bytes / Mi, text: `p95 ${formatBytes(p95Bytes)}` } : null,
  ].filter((x): x is { key: string; v: number; text: string } => x !== null);
  const text = Object.fromEntries(refs.map((r) => [r.key, r.text]));
  const dy = placeLabels(refs, domainMax, 280);
  const ticks = rows.length ? ticksFor(rows[0]!.t, rows[rows.length - 1]!.t, windowSeconds) : [];
  // each kill's marker sits on the spike it ended, not on the time axis
  const oomMarks = oomMarkers(points, ooms).map((m) => ({ ms: m.t * 1000, y: m.ws / Mi }));
  return (
    <div className="h-80 w-full" role="img" aria-label={`Memory chart: working set${limitBytes ? ` against the ${formatBytes(limitBytes)} limit` : ""}, ${oomMarks.length} OOMKills in view`}>
      {mounted ? (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 16, right: 112, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.08} />
            <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} ticks={ticks} tickFormatter={(v: number) => timeLabel(v, windowSeconds)} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} minTickGap={24} />
            <YAxis domain={[0, domainMax]} tickFormatter={(v: number) => formatBytes(v * Mi)} tick={{ fontSize: 11 }} width={56} stroke="currentColor" strokeOpacity={0.4} />
            <Tooltip content={<ChartTooltip />} />
            {limitBytes ? <ReferenceLine y={limitBytes / Mi} stroke="#dc2626" strokeDasharray="6 4" label={{ value: text.limit, position: "right", fontSize: 11, fill: "#dc2626", dy: dy.limit }} /> : null}
            {requestBytes && !sameLine ? <ReferenceLine y={requestBytes / Mi} stroke="#71717a" strokeDasharray="4 4" label={{ value: text.request, position: "right", fontSize: 11, fill: "#71717a", dy: dy.request }} /> : null}
            {p95Bytes ? <ReferenceLine y={p95Bytes / Mi} stroke="#2563eb" strokeOpacity={0.35} label={{ value: text.p95, position: "right", fontSize: 11, fill: "#2563eb", opacity: 0.7, dy: dy.p95 }} /> : null}
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
      {projectionEnd && mounted ? (
        <p className="sr-only">Projected to reach the limit at {new Date(projectionEnd).toLocaleString()}</p>
      ) : null}
    </div>
  );
}
