export type ExpiryStatus = "Valid" | "Expired";

/** Seconds of life left (a float, as v1alpha reports it), never below zero. */
export function remainingSeconds(expiresAt: Date, now: number = Date.now()): number {
  return Math.max(0, (expiresAt.getTime() - now) / 1000);
}

export function expiryStatus(expiresAt: Date, now: number = Date.now()): ExpiryStatus {
  return expiresAt.getTime() > now ? "Valid" : "Expired";
}
