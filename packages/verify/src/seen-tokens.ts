import type { AddressRange } from "@tokensmith/addresses";

/** What a first sight proved about a token; kept so the next sight costs no signature check. */
export interface VerifiedToken {
  token: string;
  userId: string;
  username: string;
  tokenId: string;
  endpoints: readonly string[] | null;
  allowedIps: { ranges: readonly AddressRange[]; text: readonly string[] } | null;
  audience: readonly string[] | null;
  expiresAtMs: number;
  /** The DPoP key thumbprint the token is bound to (`cnf.jkt`), or null. */
  jkt: string | null;
  /** The last raw method and path this token was allowed (short paths only): the same request again skips the path rules. */
  allowedMethod: string;
  allowedPath: string;
}

/** Longer raw paths are not remembered as allowed: memory per cached token stays small. */
const MAX_REMEMBERED_PATH = 256;

/** The decision depends on nothing else (a token's endpoints are fixed), so the same request again is allowed again. */
export function rememberAllowed(token: VerifiedToken, method: string, rawPath: string): void {
  if (rawPath.length > MAX_REMEMBERED_PATH) return;
  token.allowedMethod = method;
  token.allowedPath = rawPath;
}

/**
 * Verified tokens, at most `capacity` (the oldest goes first: Map keeps insertion order; a
 * dropped token only costs a re-check). Kept under the token's last 32 characters, the end of its
 * signature: hashing the whole token (~600 characters) on each lookup cost more than the rest of
 * a seen token's check. An entry holds the whole token and only a byte-identical token gets it;
 * two tokens sharing a tail only take each other's place.
 */
export class SeenTokens {
  private readonly byTail = new Map<string, VerifiedToken>();
  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.byTail.size;
  }

  get(token: string): VerifiedToken | undefined {
    const entry = this.byTail.get(tail(token));
    return entry !== undefined && entry.token === token ? entry : undefined;
  }

  add(entry: VerifiedToken): void {
    if (this.byTail.size >= this.capacity) this.dropOldest();
    this.byTail.set(tail(entry.token), entry);
  }

  /**
   * A full cache drops its oldest entries several at once. V8 leaves a deleted Map entry as a hole
   * until the table is rebuilt, and an iterator starts at the first slot: dropping one at a time,
   * each first sight stepped over thousands of holes. (The server's caches share one such helper
   * in @tokensmith/core; this package is published on its own, with jose as its only dependency.)
   */
  private dropOldest(): void {
    let count = Math.max(1, Math.min(256, Math.ceil(this.capacity / 40)));
    for (const key of this.byTail.keys()) {
      this.byTail.delete(key);
      if (--count === 0) return;
    }
  }

  delete(token: string): void {
    if (this.get(token) !== undefined) this.byTail.delete(tail(token));
  }

  clear(): void {
    this.byTail.clear();
  }
}

const tail = (token: string) => token.slice(-32);
