import type { UsageOutcome, UsageRow, UsageStore } from "@tokensmith/db";
import { seriesStart, toSeries, type UsageSeries } from "./usage-series.js";

const HOUR = 3_600_000;
/** Distinct (token, hour) counters kept while the database cannot take them; beyond, the oldest go. */
const MAX_PENDING = 200_000;

/**
 * Every use of a token counted by outcome, in memory — the hot path pays a Map increment, never a
 * database write — and added to the hourly table once a minute (atomic increments, so the counts
 * of several instances add up). Counts not yet flushed are shown too (`pending`).
 */
export class UsageCounter {
  private pending = new Map<string, UsageRow>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: UsageStore,
    private readonly flushMs = 60_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs).unref();
  }

  count(tokenId: string, outcome: UsageOutcome, now = Date.now()): void {
    const hour = now - (now % HOUR);
    const key = `${tokenId}|${hour}`;
    let row = this.pending.get(key);
    if (!row) {
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
      row = { tokenId, hour, allowed: 0, unauthorized: 0, forbidden: 0, limited: 0 };
      this.pending.set(key, row);
    }
    row[outcome]++;
  }

  /** A token's use in the last 24 hours and 30 days: what is stored, plus this instance's unflushed counts. */
  async series(tokenId: string, now = Date.now()): Promise<UsageSeries> {
    const stored = await this.store.hours(tokenId, seriesStart(now), now + HOUR);
    const unflushed = [...this.pending.values()].filter((row) => row.tokenId === tokenId);
    return toSeries([...stored, ...unflushed], now);
  }

  /** Writes what was counted; on failure the counts stay, to be written with the next flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    this.flushing = this.store
      .add(rows)
      .catch(() => {
        for (const row of rows) {
          const key = `${row.tokenId}|${row.hour}`;
          const later = this.pending.get(key);
          if (later) for (const o of ["allowed", "unauthorized", "forbidden", "limited"] as const) later[o] += row[o];
          else this.pending.set(key, row);
        }
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
