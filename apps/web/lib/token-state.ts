/*
 * Core's own rule, from its source file: the package's main entry also exports the signing and
 * password code, whose node:crypto would pull ~480 KB of crypto-browserify into every page.
 * Hence the "./expiry" subpath, which holds the rule and nothing else.
 */
import { expiringWindowSeconds, tokenState, type TokenState } from "@tokensmith/core/expiry";

export type { TokenState };

/** The fields the state rule needs, as the API sends them. */
export interface StatefulToken {
  expiresAt: string;
  lifeSeconds: number;
  retiresAt: string | null;
}

/** Core's rule (the server's filters use the same one), at the page's clock. */
export function stateAt(token: StatefulToken, now: number): TokenState {
  return tokenState(
    { expiresAt: new Date(token.expiresAt), lifeSeconds: token.lifeSeconds, revokedAt: token.retiresAt ? new Date(token.retiresAt) : null },
    now,
  );
}

/** Still in force, but with an end set ahead of its expiry (a rotation's overlap). */
export function isRetiring(token: StatefulToken, now: number): boolean {
  return token.retiresAt !== null && new Date(token.retiresAt).getTime() > now;
}

/** When this token starts to count as "Expires soon". */
export function expiringFrom(token: StatefulToken): number {
  return new Date(token.expiresAt).getTime() - expiringWindowSeconds(token.lifeSeconds) * 1000;
}

export const STATE_LABELS: Record<TokenState, string> = {
  valid: "Valid",
  expiring: "Expires soon",
  expired: "Expired",
  revoked: "Revoked",
};

/** The rule in words, shown next to the badges. */
export const EXPIRING_RULE =
  "Expires soon: less than a tenth of its lifetime is left, and at most its last 24 hours (a 1-hour token in its last 6 minutes, a 30-day token in its last day).";
