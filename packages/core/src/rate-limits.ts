import { parseLifetime } from "./lifetime.js";

/** At most `requests` requests in each window of `windowSeconds`, windows aligned to the clock (UTC). */
export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export const MAX_RATE_LIMIT_REQUESTS = 1_000_000;
/** Fixed windows start at multiples of their length since the epoch: a day is the longest that reads naturally. */
export const MAX_RATE_LIMIT_WINDOW_SECONDS = 86_400;

export type ParsedRateLimit = { ok: true; limit: RateLimit } | { ok: false; field: "requests" | "per"; message: string };

/** `{ requests: 100, per: "1 minute" }`: the window in the same syntax as lifetimes. */
export function parseRateLimit(input: { requests: number; per: string }): ParsedRateLimit {
  const { requests, per } = input;
  if (!Number.isInteger(requests) || requests < 1 || requests > MAX_RATE_LIMIT_REQUESTS) {
    return { ok: false, field: "requests", message: `must be a whole number from 1 to ${MAX_RATE_LIMIT_REQUESTS.toLocaleString("en-US")}` };
  }
  const window = parseLifetime(per, { maxSeconds: MAX_RATE_LIMIT_WINDOW_SECONDS });
  if (!window.ok) return { ok: false, field: "per", message: window.message.replace(/lifetime/gi, "window") };
  return { ok: true, limit: { requests, windowSeconds: window.seconds } };
}

/**
 * Whether a child's limit lets it do no more than its parent's: no bigger burst (requests per
 * window) and no higher rate (requests per second). null is "no limit".
 */
export function rateLimitWithin(child: RateLimit | null, parent: RateLimit | null): boolean {
  if (parent === null) return true;
  if (child === null) return false;
  return child.requests <= parent.requests && child.requests * parent.windowSeconds <= parent.requests * child.windowSeconds;
}

/** The start (epoch seconds) of the fixed window `nowMs` falls in. */
export const rateWindowStart = (nowMs: number, windowSeconds: number): number => Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
