import type { AccessTokenClaims } from "@tokensmith/core";

/**
 * JWTs whose signature already verified, keyed by the SHA-256 of the whole token (computed anyway
 * to match the stored hash). Only a byte-identical token can hit, so a forged one always goes
 * through jose. What it saves is the signature check (~100 µs through WebCrypto, measured); expiry
 * is still checked on every hit and revocation still read from the database on every request.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, AccessTokenClaims>();

  constructor(private readonly maxEntries = 10_000) {}

  get(tokenHash: string, nowSeconds: number): AccessTokenClaims | undefined {
    const claims = this.entries.get(tokenHash);
    if (claims && claims.exp <= nowSeconds) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return claims;
  }

  set(tokenHash: string, claims: AccessTokenClaims): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest.
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(tokenHash, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}
