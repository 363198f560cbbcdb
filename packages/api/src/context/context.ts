import { isDatabaseUnavailable } from "@tokensmith/db";
import type { AuthFailure, Caller } from "../auth/caller.js";
import { resolveCaller, type RequestHeaders, type Resolved } from "../auth/resolve-caller.js";
import { DEVICE_COOKIE, readCookie } from "../auth/cookies.js";
import type { MaybePromise } from "../util/maybe-promise.js";
import type { Services } from "./services.js";
import { unknownRequest, type RequestMeta } from "./request-meta.js";
import type { Quota } from "../rate-limits/rate-limiter.js";
import type { Presentation } from "../auth/dpop.js";
import { overLimitHeaders, rateLimitHeaders } from "../rate-limits/headers.js";

/**
 * The framework-neutral request context: the shared services, who is calling, and where from.
 * tRPC, the REST adapter and the CLI all build one; nothing here knows about HTTP frameworks.
 */
export interface Context extends Services {
  caller: Caller | null;
  authFailure: AuthFailure;
  /** With authFailure "rate_limited": seconds until credentials may be tried again. */
  retryAfterSeconds?: number;
  /** With a DPoP refusal (authFailure "invalid_dpop_proof" or "dpop_invalid_token"): why, in our own fixed words. */
  authReason?: string;
  /** The DPoP presentation of the request (its proof, method and URL), for a create that binds to the proof's key. */
  presented?: Presentation;
  /** The token's rate limit as this request left it (a limited Bearer token only); its headers are set. */
  quota?: Quota;
  request: RequestMeta;
  /** The device cookie the request carried (tRPC only: REST reads no cookies), for signing in. */
  deviceCookie: string | undefined;
  /** Adds a Set-Cookie header to the response; adapters without cookies can ignore it. */
  setCookie: (cookie: string) => void;
  /** Sets a response header (Retry-After, …); adapters that cannot can ignore it. */
  setHeader: (name: string, value: string) => void;
}

/** The context inside a protected procedure: the caller is known. */
export type AuthedContext = Context & { caller: Caller };

export interface InnerContextOptions extends Services {
  caller?: Caller | null;
  authFailure?: AuthFailure;
  request?: Partial<RequestMeta>;
  deviceCookie?: string | undefined;
  setCookie?: (cookie: string) => void;
  setHeader?: (name: string, value: string) => void;
}

const ignore = () => {};

/**
 * Every field named, not spread: a context is built per request, and an object literal of one
 * fixed shape costs a fraction of copying the services with `...` (measured on the hot path).
 */
function build(services: Services, parts: Omit<InnerContextOptions, keyof Services>): Context {
  return {
    db: services.db,
    config: services.config,
    keys: services.keys,
    site: services.site,
    revocations: services.revocations,
    usage: services.usage,
    rateLimits: services.rateLimits,
    uses: services.uses,
    dpopProofs: services.dpopProofs,
    tokens: services.tokens,
    tokenWriter: services.tokenWriter,
    accounts: services.accounts,
    verifiedTokens: services.verifiedTokens,
    lastUsed: services.lastUsed,
    attempts: services.attempts,
    credentials: services.credentials,
    basicSuccesses: services.basicSuccesses,
    webhooks: services.webhooks,
    caller: parts.caller ?? null,
    authFailure: parts.authFailure ?? null,
    request: unknownRequest(parts.request),
    deviceCookie: parts.deviceCookie,
    setCookie: parts.setCookie ?? ignore,
    setHeader: parts.setHeader ?? ignore,
  };
}

/** The services and where a request came from, for a path that checks a token itself (forward auth). */
export function requestContext(services: Services, request: RequestMeta): Context {
  return build(services, { request });
}

/** The context with the caller already known: what tests and the CLI use with `createCaller`. */
export function createContextInner(opts: InnerContextOptions): Context {
  return build(opts, opts);
}

/**
 * Any adapter passes the headers it got; the caller is resolved from them. Synchronous when the
 * caller is (a cached Bearer token: see checkBearer); adapters that can use that do, others await.
 */
export function createRequestContext(
  services: Services,
  opts: {
    headers: RequestHeaders;
    request?: Partial<RequestMeta>;
    setCookie?: (cookie: string) => void;
    setHeader?: (name: string, value: string) => void;
    /** Procedure calls in the request (a tRPC batch), each counted against a token's rate limit. */
    calls?: number;
  },
): MaybePromise<Context> {
  const ctx = build(services, {
    request: opts.request,
    setCookie: opts.setCookie,
    setHeader: opts.setHeader,
    deviceCookie: opts.headers.cookie === undefined ? undefined : readCookie(opts.headers.cookie, DEVICE_COOKIE),
  });
  // Credentials that cannot be checked are neither accepted nor called wrong: 503, try again.
  const unavailable = (error: unknown): Context => {
    if (!isDatabaseUnavailable(error)) throw error;
    ctx.authFailure = "unavailable";
    return ctx;
  };
  let resolved: MaybePromise<Resolved>;
  try {
    resolved = resolveCaller(ctx, opts.headers, opts.calls);
  } catch (error) {
    return unavailable(error);
  }
  if (resolved instanceof Promise) return resolved.then((value) => withCaller(ctx, value), unavailable);
  return withCaller(ctx, resolved);
}

function withCaller(ctx: Context, resolved: Resolved): Context {
  ctx.caller = resolved.caller;
  ctx.authFailure = resolved.authFailure;
  if (resolved.retryAfterSeconds !== undefined) ctx.retryAfterSeconds = resolved.retryAfterSeconds;
  if (resolved.authReason !== undefined) ctx.authReason = resolved.authReason;
  if (resolved.presented !== undefined) ctx.presented = resolved.presented;
  if (resolved.quota) {
    ctx.quota = resolved.quota;
    const headers = ctx.caller ? rateLimitHeaders(resolved.quota) : overLimitHeaders(resolved.quota);
    for (const [name, value] of Object.entries(headers)) ctx.setHeader(name, value);
  }
  return ctx;
}
