import type { RevocationEntry, RevocationLog } from "@tokensmith/db";

/** One end of a token, as followers see it: its id, when it stops working, when it expires. */
export interface RevocationEvent {
  seq: number;
  jti: string;
  /** Epoch ms. */
  at: number;
  /** Epoch ms. */
  exp: number;
}

const toEvent = (entry: RevocationEntry): RevocationEvent => ({ seq: entry.seq, jti: entry.tokenId, at: entry.endsAt, exp: entry.expiresAt });

/**
 * This instance's copy of the revocation feed, kept in step with the database: a snapshot at
 * start, then every entry after the last one seen, fetched as soon as the database says there are
 * some (NOTIFY on PostgreSQL, a commit on SQLite) and at least every second. `asOf` is when it
 * last knew it was complete; a follower's data is as old as that, and must not be trusted longer.
 */
export class RevocationHub {
  private events: RevocationEvent[] = [];
  private listeners = new Set<(event: RevocationEvent) => void>();
  private syncing: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private stopWatching: (() => void) | undefined;
  lastSeq = 0;
  asOf = 0;

  constructor(private readonly log: RevocationLog) {}

  async start(): Promise<void> {
    const startedAt = Date.now();
    this.lastSeq = await this.log.latestSeq();
    this.events = (await this.log.active(startedAt)).map(toEvent).filter((e) => e.seq <= this.lastSeq);
    this.asOf = startedAt;
    this.stopWatching = this.log.watch(() => void this.sync());
    this.timers.push(setInterval(() => void this.sync(), 1000).unref());
    // Entries of expired tokens help no one: dropped here each minute, and from the database too.
    this.timers.push(
      setInterval(() => {
        const now = Date.now();
        this.events = this.events.filter((e) => e.exp > now);
        this.log.prune(now, 1000).catch(() => {});
      }, 60_000).unref(),
    );
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.stopWatching?.();
  }

  /** Fetches what came after the last entry seen; concurrent calls coalesce into one more round. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          const startedAt = Date.now();
          for (;;) {
            const batch = await this.log.after(this.lastSeq, 1000);
            for (const entry of batch) this.append(toEvent(entry));
            if (batch.length < 1000) break;
          }
          this.asOf = startedAt;
        } while (this.again);
      } catch {
        // The database is unreachable: asOf stays where it was, and followers see their data age.
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  /** Entries of tokens not expired yet: what a new follower starts from. */
  snapshot(now = Date.now()): RevocationEvent[] {
    return this.events.filter((e) => e.exp > now);
  }

  /** Entries after `seq` (for a follower resuming with Last-Event-ID), or null if `seq` is not ours. */
  since(seq: number): RevocationEvent[] | null {
    if (!Number.isInteger(seq) || seq < 0 || seq > this.lastSeq) return null;
    return this.events.filter((e) => e.seq > seq);
  }

  /** What metrics read: followers connected now, entries held, when the copy was last complete. */
  stats(): { followers: number; entries: number; asOf: number } {
    return { followers: this.listeners.size, entries: this.events.length, asOf: this.asOf };
  }

  subscribe(listener: (event: RevocationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(event: RevocationEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }
}
