"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/lib/format";
import type { GroupTotals } from "@/lib/cost/report";

/** Where the money goes: each group's monthly request cost today and once every recommendation is applied (one currency). */
export function CostChart({ groups, currency }: { groups: GroupTotals[]; currency: string }) {
  const data = groups.slice(0, 10).map((g) => ({ key: g.key, today: g.monthlyCost, after: g.monthlyAfter }));
  const height = 48 + data.length * 44;
  const short = (v: number) => new Intl.NumberFormat("en-US", { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(v);
  return (
    <div className="w-full" style={{ height }} role="img" aria-label={`Monthly memory request cost in ${currency} per group, today and after the recommendations`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 0 }} barGap={2}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="currentColor" strokeOpacity={0.1} />
          <XAxis type="number" tickFormatter={short} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} />
          <YAxis type="category" dataKey="key" width={92} tick={{ fontSize: 11 }} stroke="currentColor" strokeOpacity={0.4} tickFormatter={(k: string) => (k.length > 13 ? `${k.slice(0, 12)}…` : k)} />
          <Tooltip formatter={(v, name) => [formatMoney(Number(v), currency), name === "today" ? "today" : "after fixes"]} contentStyle={{ fontSize: 12 }} />
          <Legend formatter={(v) => (v === "today" ? "Requests today / mo" : "After every fix / mo")} wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="today" fill="#71717a" radius={[0, 2, 2, 0]} isAnimationActive={false} />
          <Bar dataKey="after" fill="#2563eb" radius={[0, 2, 2, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
