"use client";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

type Day = { day: string; count: number };

const dayLabel = (day: string, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...o }).format(Date.parse(`${day}T00:00:00Z`));

function DayTooltip({ active, payload, today }: { active?: boolean; payload?: { payload: Day }[]; today: string | undefined }) {
  if (!active || !payload?.length) return null;
  const d = payload[0]!.payload;
  return (
    <div className="rounded border border-zinc-200 bg-white px-3 py-2 text-xs shadow dark:border-zinc-700 dark:bg-zinc-900">
      <div className="font-medium">{dayLabel(d.day, { weekday: "short", day: "numeric", month: "short" })}{d.day === today ? " (today so far)" : ""}</div>
      <div className="tabular">{d.count} OOMKill{d.count === 1 ? "" : "s"}</div>
    </div>
  );
}

/** OOMKills per UTC day; the last bar is today so far, drawn lighter and named as partial. */
export function DailyOomsChart({ data }: { data: Day[] }) {
  const today = data.at(-1)?.day;
  const total = data.reduce((n, d) => n + d.count, 0);
  const peak = data.reduce((m, d) => (d.count > m.count ? d : m), data[0] ?? { day: "", count: 0 });
  return (
    <div>
      <div
        className="h-40 w-full"
        role="img"
        aria-label={`OOMKills per day over the last ${data.length} days (UTC days, today so far last): ${total} in all${peak.count ? `, most on ${dayLabel(peak.day, { day: "numeric", month: "short" })} (${peak.count})` : ""}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.1} />
            <XAxis dataKey="day" tickFormatter={(d: string) => dayLabel(d, { day: "numeric", month: "short" })} tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} stroke="currentColor" strokeOpacity={0.4} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
            <Tooltip content={<DayTooltip today={today} />} cursor={{ fillOpacity: 0.06 }} />
            <Bar dataKey="count" radius={[2, 2, 0, 0]} isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.day} fill="#dc2626" fillOpacity={d.day === today ? 0.35 : 1} stroke={d.day === today ? "#dc2626" : undefined} strokeDasharray={d.day === today ? "2 2" : undefined} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <p className="mt-1 px-1 text-xs text-zinc-600 dark:text-zinc-400">UTC days; the lighter last bar is today so far.</p>
    </div>
  );
}
