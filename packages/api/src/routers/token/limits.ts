import { TRPCError } from "@trpc/server";
import { allowlistWithin, audienceWithin, endpointsCovered, parseAllowlist, rateLimitWithin, type RateLimit } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";

/** What a token may do, and from where: a token it issues may have no more. */
export interface TokenPowers {
  endpoints: string[] | null;
  rateLimit: RateLimit | null;
  allowedIps: string[] | null;
  /** The audiences it is signed for; null: none (any verifier that does not require one). */
  audience: string[] | null;
}

const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });
const ranges = (list: string[]) => {
  const parsed = parseAllowlist(list);
  return parsed.ok ? parsed.ranges : [];
};

/**
 * No escalation: a token may only issue (create, or rotate into) a token with no more powers than
 * `own`: endpoints it has, a rate limit no looser than its own, addresses inside its allowlist,
 * and only audiences it names (a token meant for one API cannot mint one for another).
 */
export function assertWithin(own: TokenPowers, wanted: TokenPowers, whose: string): void {
  if (!endpointsCovered(own.endpoints, wanted.endpoints)) {
    throw forbidden(`${whose} may only issue tokens limited to its own endpoints (${(own.endpoints ?? []).join(", ")})`);
  }
  if (!rateLimitWithin(wanted.rateLimit, own.rateLimit)) {
    throw forbidden(
      `${whose} is limited to ${own.rateLimit!.requests} requests per ${own.rateLimit!.windowSeconds} seconds: a token it issues needs a limit no looser (no more requests per window, no higher rate)`,
    );
  }
  if (own.allowedIps !== null && (wanted.allowedIps === null || !allowlistWithin(ranges(wanted.allowedIps), ranges(own.allowedIps)))) {
    throw forbidden(`${whose} may be used only from some addresses: a token it issues needs an allowlist inside that one`);
  }
  if (!audienceWithin(wanted.audience, own.audience)) {
    throw forbidden(`${whose} is meant only for ${(own.audience ?? []).join(", ")}: a token it issues may only name some of those audiences`);
  }
}

/**
 * A request authenticated by a token: within its powers, and not outliving it. Sessions and
 * passwords are the user's own authority and have no such limit.
 */
export function assertNoEscalation(ctx: AuthedContext, wanted: TokenPowers & { expiresAt: number }): void {
  const own = ctx.caller.token;
  if (!own) return;
  assertWithin(own, wanted, "This token");
  // Its end: expiry, or the end of its rotation overlap when it is being replaced.
  const ownEnd = Math.min(own.expiresAt, own.revokedAt ?? Infinity);
  if (wanted.expiresAt > ownEnd) {
    throw forbidden(`A token cannot issue a token that outlives it: this one stops at ${new Date(ownEnd).toISOString()}`);
  }
}

/**
 * What a new token gets where the request names nothing: the creating token's own powers (none for
 * a password). An audience named as null, or named by neither, is DEFAULT_AUDIENCE (none when unset).
 */
export function defaultPowers(
  ctx: AuthedContext,
  requested: {
    endpoints?: string[] | undefined;
    rateLimit?: RateLimit | null | undefined;
    allowedIps?: string[] | null | undefined;
    audience?: string[] | null | undefined;
  },
): TokenPowers {
  const own = ctx.caller.token;
  return {
    audience: requested.audience === undefined ? (own?.audience ?? ctx.config.defaultAudience) : (requested.audience ?? ctx.config.defaultAudience),
    endpoints: requested.endpoints ?? own?.endpoints ?? null,
    rateLimit: requested.rateLimit !== undefined ? requested.rateLimit : (own?.rateLimit ?? null),
    allowedIps: requested.allowedIps !== undefined ? requested.allowedIps : (own?.allowedIps ?? null),
  };
}
