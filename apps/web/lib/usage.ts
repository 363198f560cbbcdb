/** One bar of a usage chart: a period's uses by outcome. */
export interface UsagePoint {
  label: string;
  allowed: number;
  unauthorized: number;
  forbidden: number;
  limited: number;
}

/** The outcomes, in the order they stack; colours keep ≥ 3:1 against both themes' surfaces. */
export const OUTCOMES = [
  { key: "allowed", name: "Allowed", className: "fill-indigo-600 dark:fill-indigo-400", swatch: "bg-indigo-600 dark:bg-indigo-400" },
  { key: "unauthorized", name: "Refused: bad or ended token", className: "fill-red-600 dark:fill-red-400", swatch: "bg-red-600 dark:bg-red-400" },
  { key: "forbidden", name: "Refused: endpoint not allowed", className: "fill-amber-600 dark:fill-amber-400", swatch: "bg-amber-600 dark:bg-amber-400" },
  { key: "limited", name: "Refused: rate limited", className: "fill-slate-500 dark:fill-slate-400", swatch: "bg-slate-500 dark:bg-slate-400" },
] as const;
