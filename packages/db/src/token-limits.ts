import type { TokenAuthRecord } from "./contracts.js";

/** A token row's limits as the auth record carries them (one place for both databases). */
export function tokenLimits(row: {
  rateLimitRequests: number | null;
  rateLimitSeconds: number | null;
  allowedIps: string | null;
  maxUses: number | null;
  audience: string | null;
  dpopJkt: string | null;
}): Pick<TokenAuthRecord, "rateLimit" | "allowedIps" | "maxUses" | "audience" | "dpopJkt"> {
  return {
    rateLimit:
      row.rateLimitRequests !== null && row.rateLimitSeconds !== null ? { requests: row.rateLimitRequests, windowSeconds: row.rateLimitSeconds } : null,
    allowedIps: row.allowedIps === null ? null : (JSON.parse(row.allowedIps) as string[]),
    maxUses: row.maxUses,
    audience: row.audience === null ? null : (JSON.parse(row.audience) as string[]),
    dpopJkt: row.dpopJkt,
  };
}
