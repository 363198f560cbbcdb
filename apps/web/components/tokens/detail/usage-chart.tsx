"use client";

import { OUTCOMES, type UsagePoint } from "@/lib/usage";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * Recharts draws SVG with React (no eval, no inline script), so it runs under the page's CSP;
 * colours come from classes so the chart follows the theme. Loaded only on a token's page.
 */
export default function UsageChart({ points, label }: { points: UsagePoint[]; label: string }) {
  return (
    <div className="h-56 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false} title={label}>
          <CartesianGrid vertical={false} className="[&_line]:stroke-line" />
          <XAxis dataKey="label" tick={{ className: "fill-fg-muted text-[11px]" }} tickLine={false} axisLine={false} interval="preserveStartEnd" minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ className: "fill-fg-muted text-[11px]" }} tickLine={false} axisLine={false} width={48} />
          <Tooltip
            cursor={{ className: "fill-sunken" }}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--line)", borderRadius: 8, color: "var(--fg)", fontSize: 12 }}
            labelStyle={{ color: "var(--fg)", fontWeight: 600 }}
            itemStyle={{ color: "var(--fg)" }}
          />
          {OUTCOMES.map((outcome) => (
            <Bar key={outcome.key} dataKey={outcome.key} name={outcome.name} stackId="uses" className={outcome.className} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
