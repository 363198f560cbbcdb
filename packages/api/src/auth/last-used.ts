import type { Db } from "@tokensmith/db";

/**
 * Records when and from where a token was last used, at most once a minute per token: a token
 * service sits in front of every API call, so no request may pay for a database write.
 */
export class LastUsedRecorder {
  private readonly writtenAt = new Map<string, number>();

  constructor(
    private readonly db: Db,
    readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the pending write, if one was started (tests await it; requests do not). */
  touch(tokenId: string, ip: string | undefined): Promise<void> | undefined {
    const now = this.now();
    const last = this.writtenAt.get(tokenId);
    if (last !== undefined && now - last < this.intervalMs) return undefined;
    this.writtenAt.set(tokenId, now);
    if (this.writtenAt.size > 100_000) this.writtenAt.clear();
    return this.db.accessToken
      .updateMany({ where: { id: tokenId }, data: { lastUsedAt: new Date(now), lastUsedIp: ip ?? null } })
      .then(
        () => undefined,
        (error: unknown) => console.error("[last-used]", error),
      );
  }
}
