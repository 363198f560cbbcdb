import type { Quota } from "./rate-limiter.js";

/** The policy's name in the headers (a structured-field String, as the draft has it): the limit is the token's own. */
const POLICY = '"token"';

/**
 * RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers): the token's quota and
 * window, what is left of it and when it resets. Sent on allowed and refused requests alike.
 */
export function rateLimitHeaders(quota: Quota): Record<string, string> {
  return {
    "RateLimit-Policy": `${POLICY};q=${quota.limit};w=${quota.windowSeconds}`,
    RateLimit: `${POLICY};r=${quota.remaining};t=${quota.resetSeconds}`,
  };
}

/** Over the limit: the same, plus Retry-After at the window's reset. */
export const overLimitHeaders = (quota: Quota): Record<string, string> => ({ ...rateLimitHeaders(quota), "Retry-After": String(quota.resetSeconds) });

export const overLimitMessage = (quota: Quota) =>
  `This token may make ${quota.limit} request${quota.limit === 1 ? "" : "s"} per ${quota.windowSeconds} seconds. Try again in ${quota.resetSeconds} seconds.`;
