"use client";

import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { formatCount } from "@/lib/format";

const WIDTH = 48;
const HEIGHT = 16;

/**
 * Uses per hour over the last 24 hours, as tiny bars. Asked for only once the row scrolls into
 * view, so a page of 100 rows costs nothing until it is seen (tRPC batches the visible ones); a
 * token never used has none to ask for, and says so instead (LastUsed).
 */
export function UsageSparkline({ id }: { id: string }) {
  const trpc = useTRPC();
  const box = useRef<HTMLSpanElement>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element || seen) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        setSeen(true);
        observer.disconnect();
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [seen]);
  const usage = useQuery(trpc.token.usage.queryOptions({ id }, { enabled: seen, staleTime: 60_000, retry: false }));
  const hourly = usage.data?.hourly.map((b) => b.allowed + b.unauthorized + b.forbidden + b.limited);
  const refused = usage.data?.hourly.reduce((sum, b) => sum + b.unauthorized + b.forbidden + b.limited, 0) ?? 0;
  const total = hourly?.reduce((sum, n) => sum + n, 0) ?? 0;
  const peak = Math.max(1, ...(hourly ?? [0]));
  const label = usage.isError
    ? "Usage could not be loaded"
    : hourly
      ? `${formatCount(total)} request${total === 1 ? "" : "s"} in the last 24 hours${refused ? `, ${formatCount(refused)} refused` : ""}`
      : "Loading usage";
  return (
    <span ref={box} className="inline-flex items-center gap-1.5" data-testid="sparkline">
      <svg role="img" aria-label={label} width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="shrink-0">
        <title>{label}</title>
        <line x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="stroke-line-strong" strokeWidth="1" />
        {hourly?.map((n, i) =>
          n === 0 ? null : (
            <rect key={i} x={i * 2} width="1.5" y={HEIGHT - 1 - (n / peak) * (HEIGHT - 2)} height={(n / peak) * (HEIGHT - 2)} className="fill-indigo-600 dark:fill-indigo-400" />
          ),
        )}
      </svg>
      {/* The number's meaning is visible too ("6 in 24 h"); screen readers hear the chart's label. */}
      <span aria-hidden="true" title={label} className="whitespace-nowrap text-xs tabular-nums text-fg-muted" data-testid="sparkline-count">
        {hourly ? `${formatCount(total)} in 24 h` : usage.isError ? "—" : ""}
      </span>
    </span>
  );
}
