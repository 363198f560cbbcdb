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
 * The issuer's published keys (jose's remote key set: cached, refetched when stale or when a
 * token names a `kid` it does not hold, at most once per cooldown).
 *
 * One addition: an unknown `kid` that arrives during the cooldown waits for the cooldown to end
 * (at most 3 s) and then triggers the refetch, instead of being refused at once. A token signed
 * by a key that was just rotated in is therefore accepted a moment later, not refused for the
 * whole cooldown;
 * tokens with made-up kids still cost at most one fetch per cooldown (jose coalesces the reloads)
 * and are refused after it.
 */
export class KeySet {
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  private lastFetchAt = -Infinity;
  private readonly waits = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: KeySetOptions) {
    const timedFetch: typeof fetch = async (input, init) => {
      const response = await options.fetch(input, init);
      this.lastFetchAt = performance.now();
      return response;
    };
    this.remote = createRemoteJWKSet(new URL(options.url), {
      cooldownDuration: options.cooldown,
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
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.remote.coolingDown || this.closed) throw error;
      await this.endOfCooldown();
      if (this.closed) throw error;
      return await this.remote(header, token);
    }
  };

  close(): void {
    this.closed = true;
    for (const wake of [...this.waits]) wake();
  }

  private endOfCooldown(): Promise<void> {
    const remaining = Math.min(MAX_COOLDOWN_WAIT_MS, Math.max(0, this.lastFetchAt + this.options.cooldown - performance.now()) + 5);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, remaining);
      this.waits.add(wake);
    });
  }
}
