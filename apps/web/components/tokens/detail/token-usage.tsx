"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import type { TokenDetail } from "./token-lineage";
import { formatCount } from "@/lib/format";
import { OUTCOMES, type UsagePoint } from "@/lib/usage";

// The chart library is loaded only where a chart is shown.
const UsageChart = dynamic(() => import("./usage-chart"), { ssr: false, loading: () => <div className="skeleton h-56 w-full" /> });

const hour = new Intl.DateTimeFormat("en", { hour: "numeric" });
const day = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

type Range = "hourly" | "daily";

/** Uses per hour (24 h) or per day (30 days), as a chart and, for anyone who cannot see it, a table. */
export function TokenUsage({ usage }: { usage: TokenDetail["usage"] }) {
  const [range, setRange] = useState<Range>("hourly");
  const buckets = usage[range];
  const points: UsagePoint[] = buckets.map((b) => ({
    label: range === "hourly" ? hour.format(new Date(b.start)) : day.format(new Date(b.start)),
    allowed: b.allowed,
    unauthorized: b.unauthorized,
    forbidden: b.forbidden,
    limited: b.limited,
  }));
  const totals = OUTCOMES.map((o) => ({ ...o, total: points.reduce((sum, p) => sum + p[o.key], 0) }));
  const all = totals.reduce((sum, t) => sum + t.total, 0);
  const period = range === "hourly" ? "the last 24 hours" : "the last 30 days";
  const summary = `${formatCount(all)} request${all === 1 ? "" : "s"} in ${period}`;
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm" data-testid="usage-summary">
          <strong className="font-semibold">{summary}</strong>
          {all > 0 && (
            <span className="text-fg-muted">
              {" "}
              ({totals.filter((t) => t.total > 0).map((t) => `${formatCount(t.total)} ${t.name.toLowerCase()}`).join(", ")})
            </span>
          )}
        </p>
        <div role="group" aria-label="Period" className="inline-flex rounded-lg ring-1 ring-line-strong">
          {(["hourly", "daily"] as const).map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={range === r}
              onClick={() => setRange(r)}
              className="px-3 py-1.5 text-sm font-medium text-fg-muted first:rounded-l-lg last:rounded-r-lg aria-pressed:bg-indigo-600 aria-pressed:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
            >
              {r === "hourly" ? "24 hours" : "30 days"}
            </button>
          ))}
        </div>
      </div>
      <UsageChart points={points} label={summary} />
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-fg-muted" aria-label="Legend">
        {OUTCOMES.map((o) => (
          <li key={o.key} className="flex items-center gap-1.5">
            <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-sm ${o.swatch}`} />
            {o.name}
          </li>
        ))}
      </ul>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer font-medium text-link">Show the numbers</summary>
        <div className="mt-2 max-h-64 overflow-auto rounded-lg ring-1 ring-line" tabIndex={0} role="region" aria-label={`Uses in ${period}`}>
          <table className="min-w-full text-xs">
            <thead className="bg-sunken text-left">
              <tr>
                <th scope="col" className="px-3 py-2">{range === "hourly" ? "Hour" : "Day (UTC)"}</th>
                {OUTCOMES.map((o) => (
                  <th key={o.key} scope="col" className="px-3 py-2 text-right">
                    {o.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {points.map((p, i) => (
                <tr key={i}>
                  <th scope="row" className="px-3 py-1.5 text-left font-normal">{p.label}</th>
                  {OUTCOMES.map((o) => (
                    <td key={o.key} className="px-3 py-1.5 text-right tabular-nums">
                      {formatCount(p[o.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
