import { rateWindowStart, type RateLimit } from "@tokensmith/core";
import type { RateWindowStore } from "@tokensmith/db";

/** Where a token stands in its current window: what the RateLimit headers say. */
export interface Quota {
  limit: number;
  windowSeconds: number;
  /** Requests left in this window after this one. */
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

export type Take = { allowed: boolean; quota: Quota };

interface WindowCount {
  start: number;
  /** When the window ends (seconds): past it, with nothing pending, the entry is dropped. */
  end: number;
  /** The window's total over every instance, as of this instance's last sync (its own included). */
  confirmed: number;
  /** Admitted here since that sync. */
  pending: number;
  /** Whether the shared count has been read once for this window. */
  loaded: boolean;
  syncing: Promise<void> | null;
}

/** How many requests an instance may admit before it checks the shared count again. */
export const syncSlice = (limit: number): number => Math.max(1, Math.floor(limit / 20));
const SYNC_EVERY_MS = 1000;

/**
 * Per-token rate limits over fixed windows. Counting is in memory and exact for this process;
 * the shared count (RateWindowStore) is read when a window first sees the token and written back
 * at least every `syncSlice(limit)` admitted requests (and every second), so several instances
 * together admit at most (instances − 1) × syncSlice(limit) requests over the limit per window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, WindowCount>();
  private timer: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;

  constructor(private readonly store: RateWindowStore) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), SYNC_EVERY_MS).unref();
    this.pruner = setInterval(() => void this.prune().catch(() => undefined), 3_600_000).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.pruner);
    await this.flush().catch(() => undefined);
  }

  /** Counts a request (`weight` calls: a tRPC batch) of the token against its limit: allowed, or over it. */
  async take(tokenId: string, limit: RateLimit, now = Date.now(), weight = 1): Promise<Take> {
    const start = rateWindowStart(now, limit.windowSeconds);
    let count = this.windows.get(tokenId);
    if (!count || count.start !== start) {
      if (count && count.pending > 0) void this.sync(tokenId, count).catch(() => undefined);
      count = { start, end: start + limit.windowSeconds, confirmed: 0, pending: 0, loaded: false, syncing: null };
      this.windows.set(tokenId, count);
    }
    // What other instances (or this one before a restart) already counted in this window.
    if (!count.loaded) await this.sync(tokenId, count);
    while (count.pending + weight > syncSlice(limit.requests) && count.pending > 0 && count.confirmed + count.pending + weight <= limit.requests) {
      await this.sync(tokenId, count);
    }
    const used = count.confirmed + count.pending;
    const resetSeconds = Math.max(1, Math.ceil(start + limit.windowSeconds - now / 1000));
    const quota = (remaining: number): Quota => ({ limit: limit.requests, windowSeconds: limit.windowSeconds, remaining, resetSeconds });
    if (used + weight > limit.requests) return { allowed: false, quota: quota(Math.max(0, limit.requests - used)) };
    count.pending += weight;
    return { allowed: true, quota: quota(limit.requests - used - weight) };
  }

  /** Writes this instance's pending count and learns the window's total; one sync at a time per token. */
  private sync(tokenId: string, count: WindowCount): Promise<void> {
    count.syncing ??= (async () => {
      try {
        const delta = count.pending;
        const total = await this.store.add(tokenId, count.start, delta);
        count.pending -= delta;
        count.confirmed = total;
        count.loaded = true;
      } finally {
        count.syncing = null;
      }
    })();
    return count.syncing;
  }

  /** Syncs what is pending and forgets windows that have ended. */
  async flush(now = Date.now()): Promise<void> {
    const work: Promise<void>[] = [];
    for (const [tokenId, count] of this.windows) {
      if (count.pending > 0) work.push(this.sync(tokenId, count));
      // An ended window is forgotten at once (memory follows the tokens in use now, not every
      // token seen today); a request in a later window starts a new entry anyway.
      else if (count.end * 1000 <= now && !count.syncing) this.windows.delete(tokenId);
    }
    await Promise.all(work);
  }

  /** Tokens with a window in memory: bounded by the tokens used within their current windows. */
  get trackedWindows(): number {
    return this.windows.size;
  }

  /** Drops the shared counts of windows older than a day (the longest window). */
  prune(now = Date.now()): Promise<number> {
    return this.store.prune(Math.floor(now / 1000) - 2 * 86_400);
  }
}
