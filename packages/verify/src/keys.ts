import { createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey } from "jose";

export interface KeySetOptions {
  url: string;
  fetch: typeof fetch;
  /** The least time between two fetches that an unknown `kid` may trigger. */
  cooldown: number;
}

/**
 * How long a fetched key set is used before it is fetched again: the server's Cache-Control
 * max-age. A new key is published longer than this before it signs (KEY_PUBLISH_DELAY), so a
 * verifier normally holds a key before any token needs it.
 */
const KEY_SET_MAX_AGE_MS = 300_000;
const FETCH_TIMEOUT_MS = 5_000;
/** A request never waits longer than this for a cooldown to end, however long the cooldown. */
const MAX_COOLDOWN_WAIT_MS = 3_000;

/**
 * The issuer's published keys: jose's remote key set (cached, refetched once stale), with the
 * refetch on an unknown `kid` governed here rather than by jose, so that it is exact:
 *
 * - an unknown `kid` triggers a refetch if none started within the cooldown;
 * - during the cooldown it waits for the cooldown to end (at most 3 s) and then triggers the
 *   refetch, instead of being refused at once: a token signed by a key that was just rotated in is
 *   accepted a moment later, while made-up kids still cost at most one fetch per cooldown;
 * - a refetch under way is joined, never doubled (jose coalesces concurrent reloads).
 */
export class KeySet {
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  /** performance.now() when the last fetch started. */
  private lastFetchAt = -Infinity;
  private readonly waits = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: KeySetOptions) {
    const timedFetch: typeof fetch = (input, init) => {
      this.lastFetchAt = performance.now();
      return options.fetch(input, init);
    };
    this.remote = createRemoteJWKSet(new URL(options.url), {
      // jose would refetch on an unknown kid after its own cooldown: never, we do it (see above).
      cooldownDuration: Number.POSITIVE_INFINITY,
      cacheMaxAge: KEY_SET_MAX_AGE_MS,
      timeoutDuration: FETCH_TIMEOUT_MS,
      [customFetch]: timedFetch,
    });
  }

  /** For jose's jwtVerify. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await this.remote(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || this.closed) throw error;
      const coolingLeft = () => this.lastFetchAt + this.options.cooldown - performance.now();
      if (coolingLeft() > MAX_COOLDOWN_WAIT_MS) throw error;
      // A timer may fire a millisecond before performance.now() says the time is up: wait again
      // then, or the refetch this wait was for would be skipped.
      while (coolingLeft() > 0 && !this.remote.reloading && !this.closed) await this.sleep(Math.ceil(coolingLeft()) + 1);
      if (this.closed) throw error;
      // Joins a fetch under way; otherwise starts one unless another waiter just did.
      if (this.remote.reloading || performance.now() - this.lastFetchAt >= this.options.cooldown) await this.remote.reload();
      return await this.remote(header, token);
    }
  };

  close(): void {
    this.closed = true;
    for (const wake of [...this.waits]) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waits.add(wake);
    });
  }
}
