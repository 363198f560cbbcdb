import type { UsageRow } from "@tokensmith/db";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface UsageBucket {
  /** ISO start of the hour or day (UTC). */
  start: string;
  allowed: number;
  unauthorized: number;
  forbidden: number;
  limited: number;
}

export interface UsageSeries {
  /** The last 24 hours, one bucket per hour, oldest first (the current hour last). */
  hourly: UsageBucket[];
  /** The last 30 days, one bucket per UTC day, oldest first (today last). */
  daily: UsageBucket[];
}

const empty = (start: number): UsageBucket => ({ start: new Date(start).toISOString(), allowed: 0, unauthorized: 0, forbidden: 0, limited: 0 });
function add(bucket: UsageBucket, row: UsageRow): void {
  bucket.allowed += row.allowed;
  bucket.unauthorized += row.unauthorized;
  bucket.forbidden += row.forbidden;
  bucket.limited += row.limited;
}

/** Rows of (token, hour) counts as the last 24 hours and the last 30 days, oldest first. */
export function toSeries(rows: readonly UsageRow[], now = Date.now()): UsageSeries {
  const thisHour = now - (now % HOUR);
  const from = seriesStart(now);
  const hourly = Array.from({ length: 24 }, (_, i) => empty(thisHour - (23 - i) * HOUR));
  const daily = Array.from({ length: 30 }, (_, i) => empty(from + i * DAY));
  for (const row of rows) {
    const h = 23 - (thisHour - row.hour) / HOUR;
    if (h >= 0 && h < 24) add(hourly[h]!, row);
    const d = Math.floor((row.hour - from) / DAY);
    if (d >= 0 && d < 30) add(daily[d]!, row);
  }
  return { hourly, daily };
}

/** The first instant a series covers: the start of the UTC day 29 days before today. */
export function seriesStart(now = Date.now()): number {
  return now - (now % DAY) - 29 * DAY;
}

/** Hourly usage before this is shown by no series (a day more is kept, for a clock a little behind): retention deletes it. */
export const usageKeptFrom = (now = Date.now()): number => seriesStart(now) - DAY;
