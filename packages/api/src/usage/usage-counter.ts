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
  /**
   * Unflushed counts by hour, then by token: the hot path finds its row by the token id alone — a
   * string whose hash V8 keeps — instead of building and hashing a "token|hour" key per request.
   */
  private pending = new Map<number, Map<string, UsageRow>>();
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  /** Every check counted since start, by outcome (metrics); tokens that are not ours count as unauthorized. */
  private readonly totals: Record<UsageOutcome, number> = { allowed: 0, unauthorized: 0, forbidden: 0, limited: 0 };

  constructor(
    private readonly store: UsageStore,
    private readonly flushMs = 60_000,
    /** Rows per store.add (all or none each): a failure part-way keeps only what was not written. */
    private readonly chunkRows = 500,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs).unref();
  }

  count(tokenId: string, outcome: UsageOutcome, now = Date.now()): void {
    this.rowFor(tokenId, now - (now % HOUR))[outcome]++;
    this.totals[outcome]++;
  }

  /** A Bearer credential that is no token of ours (forged, unknown, malformed): no token's use, but a refused check. */
  countUnknown(): void {
    this.totals.unauthorized++;
  }

  checks(): Readonly<Record<UsageOutcome, number>> {
    return this.totals;
  }

  /** The pending row of (token, hour), added at zero if there is none; beyond MAX_PENDING the first one added (of the earliest hour added) goes. */
  private rowFor(tokenId: string, hour: number): UsageRow {
    let row = this.pending.get(hour)?.get(tokenId);
    if (row) return row;
    if (this.size >= MAX_PENDING) this.dropOldest();
    let rows = this.pending.get(hour);
    if (!rows) {
      rows = new Map();
      this.pending.set(hour, rows);
    }
    row = { tokenId, hour, allowed: 0, unauthorized: 0, forbidden: 0, limited: 0 };
    rows.set(tokenId, row);
    this.size++;
    return row;
  }

  private dropOldest(): void {
    for (const [hour, rows] of this.pending) {
      const oldest = rows.keys().next();
      if (!oldest.done) {
        rows.delete(oldest.value);
        this.size--;
      }
      if (rows.size === 0) this.pending.delete(hour);
      return;
    }
  }

  /** A token's use in the last 24 hours and 30 days: what is stored, plus this instance's unflushed counts. */
  async series(tokenId: string, now = Date.now()): Promise<UsageSeries> {
    const stored = await this.store.hours(tokenId, seriesStart(now), now + HOUR);
    const unflushed: UsageRow[] = [];
    for (const rows of this.pending.values()) {
      const row = rows.get(tokenId);
      if (row) unflushed.push(row);
    }
    return toSeries([...stored, ...unflushed], now);
  }

  /** Writes what was counted; on failure the counts not written stay, to be written with the next flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const rows = [...this.pending.values()].flatMap((byToken) => [...byToken.values()]);
    this.pending = new Map();
    this.size = 0;
    this.flushing = this.write(rows).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(rows: UsageRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += this.chunkRows) {
      try {
        await this.store.add(rows.slice(i, i + this.chunkRows));
      } catch {
        // Chunks before this one are stored (each all or none): keeping them too would count them twice.
        // A row the database refuses for good stays until MAX_PENDING pushes it out (as before chunks).
        for (const row of rows.slice(i)) {
          const into = this.rowFor(row.tokenId, row.hour);
          for (const o of ["allowed", "unauthorized", "forbidden", "limited"] as const) into[o] += row[o];
        }
        return;
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    // A flush under way took only what was counted before it: what came after is written now.
    await this.flushing;
    await this.flush();
  }
}
