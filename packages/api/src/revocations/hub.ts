import type { RevocationEntry, RevocationKind, RevocationLog } from "@tokensmith/db";
import { FollowerSlots } from "./follower-slots.js";

/** One end of a token, as followers see it: its id, when it stops working, when it expires. */
export interface RevocationEvent {
  seq: number;
  jti: string;
  /** Epoch ms. */
  at: number;
  /** Epoch ms. */
  exp: number;
  /** An end (revoke), or a pause, or the resume that undoes a pause. */
  kind: RevocationKind;
}

export interface HubLimits {
  /** Followers at once, on this process. */
  maxFollowers: number;
  /** Followers at once from one client address (IPv6: one /64). */
  followersPerAddress: number;
}

const toEvent = (entry: RevocationEntry): RevocationEvent => ({ seq: entry.seq, jti: entry.tokenId, at: entry.endsAt, exp: entry.expiresAt, kind: entry.kind });

/**
 * This instance's copy of the revocation feed, kept in step with the database: every entry of a
 * token not expired yet, in sequence order, loaded at start, then every entry after the last one
 * seen, fetched as soon as the database says there are some (NOTIFY on PostgreSQL, a commit on
 * SQLite) and at least every second. `asOf` is when it last knew it was complete; a follower's
 * data is as old as that, and must not be trusted longer.
 *
 * The copy is the log followers are served from, each at its own position (`after`): one copy
 * for every follower, however many there are and however far behind each one is.
 */
export class RevocationHub {
  /** Sorted by seq: appended in order, and pruning keeps the order. */
  private events: RevocationEvent[] = [];
  private listeners = new Set<() => void>();
  private syncing: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private stopWatching: (() => void) | undefined;
  lastSeq = 0;
  asOf = 0;
  /** Who follows the feed on this process (count, addresses): for the stream's limits and for metrics. */
  readonly followers: FollowerSlots;

  constructor(
    private readonly log: RevocationLog,
    limits: HubLimits,
  ) {
    this.followers = new FollowerSlots(limits.maxFollowers, limits.followersPerAddress);
  }

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
            if (batch.length > 0) this.announce();
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

  /** Entries held: what a new follower is sent before it is current. */
  get size(): number {
    return this.events.length;
  }

  /**
   * Up to `limit` entries after position `seq`, oldest first (none once the follower is current).
   * Entries of expired tokens may be gone from between: a follower needs none of them.
   */
  after(seq: number, limit: number): RevocationEvent[] {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle]!.seq <= seq) low = middle + 1;
      else high = middle;
    }
    return this.events.slice(low, low + limit);
  }

  /** What metrics read: followers connected now, entries held, when the copy was last complete. */
  stats(): { followers: number; entries: number; asOf: number } {
    return { followers: this.followers.count, entries: this.size, asOf: this.asOf };
  }

  /** Whether `seq` is a position of this feed (a Last-Event-ID from another database is not). */
  knows(seq: number): boolean {
    return Number.isSafeInteger(seq) && seq >= 0 && seq <= this.lastSeq;
  }

  /** Told after new entries were appended (once per batch, however many it held). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(event: RevocationEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    this.events.push(event);
  }

  private announce(): void {
    for (const listener of this.listeners) listener();
  }
}
