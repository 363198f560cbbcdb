import { isDatabaseUnavailable, type Db } from "@tokensmith/db";
import { errorSummary } from "../util/error-summary.js";
import { log } from "../log/logger.js";

/** Touches waiting for their write; beyond this (the database far behind), uses go unrecorded. */
const MAX_PENDING = 20_000;
/** Ids per UPDATE … WHERE id IN (…). */
const CHUNK = 500;

/**
 * Records when and from where a token was last used, at most once a minute per token: a token
 * service sits in front of every API call, so no request may pay for a database write.
 *
 * Touches are written together — one write at a time, and whatever arrived meanwhile goes into the
 * next, one UPDATE per address and 500 ids. Written one by one, 100,000 tokens seen for the first
 * time queued 100,000 Prisma writes in memory (measured: the server grew past 400 MB).
 */
export class LastUsedRecorder {
  private readonly writtenAt = new Map<string, number>();
  private pending = new Map<string, { at: number; ip: string | null }>();
  private writing: Promise<void> = Promise.resolve();
  private next: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the write this touch will be part of, if one was started (tests await it; requests do not). */
  touch(tokenId: string, ip: string | undefined): Promise<void> | undefined {
    const now = this.now();
    const last = this.writtenAt.get(tokenId);
    if (last !== undefined && now - last < this.intervalMs) return undefined;
    this.writtenAt.set(tokenId, now);
    if (this.writtenAt.size > 100_000) this.writtenAt.clear();
    if (this.pending.size >= MAX_PENDING && !this.pending.has(tokenId)) return undefined;
    this.pending.set(tokenId, { at: now, ip: ip ?? null });
    this.next ??= this.afterCurrentWrite();
    return this.next;
  }

  /** Writes every touch recorded so far (shutdown): the write under way, then what waits for the next. */
  async flush(): Promise<void> {
    for (;;) {
      const writing = this.writing;
      await (this.next ?? writing);
      if (this.next === null && this.writing === writing) return;
    }
  }

  private async afterCurrentWrite(): Promise<void> {
    await this.writing;
    // Let the touches of this turn of the event loop join.
    await new Promise((resolve) => setImmediate(resolve));
    this.next = null;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.write(batch);
    return this.writing;
  }

  private async write(batch: Map<string, { at: number; ip: string | null }>): Promise<void> {
    // Grouped by address; each group stamped with its latest use (within the batch's moment).
    const groups = new Map<string | null, { ids: string[]; at: number }>();
    for (const [id, { at, ip }] of batch) {
      const group = groups.get(ip);
      if (group) {
        group.ids.push(id);
        group.at = Math.max(group.at, at);
      } else groups.set(ip, { ids: [id], at });
    }
    for (const [ip, { ids, at }] of groups) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        try {
          await this.db.accessToken.updateMany({ where: { id: { in: ids.slice(i, i + CHUNK) } }, data: { lastUsedAt: new Date(at), lastUsedIp: ip } });
        } catch (error) {
          // The database going away is expected now and then (a restart, a failover): one line, no stack.
          if (isDatabaseUnavailable(error)) log.error(`[last-used] database unavailable, last use not recorded: ${errorSummary(error)}`);
          else log.error({ err: error }, "[last-used] could not record last use");
        }
      }
    }
  }
}
