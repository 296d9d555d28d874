"use client";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export function DailyOomsChart({ data }: { data: { day: string; count: number }[] }) {
  return (
    <div className="h-40 w-full" role="img" aria-label={`OOMKills per day over the last ${data.length} days`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.1} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={{ fontSize: 11 }} interval={4} stroke="currentColor" strokeOpacity={0.4} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
          <Tooltip
            formatter={(v) => [`${String(v)} OOMKills`, ""]}
            labelFormatter={(d) => new Date(`${String(d)}T00:00:00Z`).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" })}
            contentStyle={{ fontSize: 12 }}
          />
          <Bar dataKey="count" fill="#dc2626" radius={[2, 2, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
