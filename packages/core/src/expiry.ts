export type ExpiryStatus = "Valid" | "Expired";

/** Where a token stands: the one rule behind every badge, filter and count. */
export type TokenState = "valid" | "expiring" | "expired" | "revoked";

/** Seconds of life left (a float, as v1alpha reports it), never below zero. */
export function remainingSeconds(expiresAt: Date, now: number = Date.now()): number {
  return Math.max(0, (expiresAt.getTime() - now) / 1000);
}

export function expiryStatus(expiresAt: Date, now: number = Date.now()): ExpiryStatus {
  return expiresAt.getTime() > now ? "Valid" : "Expired";
}

const DAY_SECONDS = 86_400;

/**
 * "Expires soon" follows each token's own life: when less than a tenth of its lifetime is left,
 * but at most its last 24 hours. A fresh one-hour token is not "soon" (its last 6 minutes are);
 * a one-year token is, in its last day.
 */
export function expiringWindowSeconds(lifeSeconds: number): number {
  return Math.min(lifeSeconds * 0.1, DAY_SECONDS);
}

export function tokenState(token: { expiresAt: Date; lifeSeconds: number; revokedAt: Date | null }, now: number = Date.now()): TokenState {
  if (token.revokedAt !== null && token.revokedAt.getTime() <= now) return "revoked";
  const left = (token.expiresAt.getTime() - now) / 1000;
  if (left <= 0) return "expired";
  return left < expiringWindowSeconds(token.lifeSeconds) ? "expiring" : "valid";
}
