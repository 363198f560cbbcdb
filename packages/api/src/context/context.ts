import { isDatabaseUnavailable } from "@tokensmith/db";
import type { AuthFailure, Caller } from "../auth/caller.js";
import { resolveCaller, type RequestHeaders } from "../auth/resolve-caller.js";
import type { Services } from "./services.js";
import { unknownRequest, type RequestMeta } from "./request-meta.js";

/**
 * The framework-neutral request context: the shared services, who is calling, and where from.
 * tRPC, the REST adapter and the CLI all build one; nothing here knows about HTTP frameworks.
 */
export interface Context extends Services {
  caller: Caller | null;
  authFailure: AuthFailure;
  /** With authFailure "rate_limited": seconds until credentials may be tried again. */
  retryAfterSeconds?: number;
  request: RequestMeta;
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
  setCookie?: (cookie: string) => void;
  setHeader?: (name: string, value: string) => void;
}

/** The context with the caller already known: what tests use with `createCaller`. */
export function createContextInner(opts: InnerContextOptions): Context {
  const { caller = null, authFailure = null, request = {}, setCookie = () => {}, setHeader = () => {}, ...services } = opts;
  return { ...services, caller, authFailure, request: unknownRequest(request), setCookie, setHeader };
}

/** Any adapter passes the headers it got; the caller is resolved from them. */
export async function createRequestContext(
  opts: Services & {
    headers: RequestHeaders;
    request?: Partial<RequestMeta>;
    setCookie?: (cookie: string) => void;
    setHeader?: (name: string, value: string) => void;
  },
): Promise<Context> {
  const { headers, ...rest } = opts;
  const ctx = createContextInner(rest);
  try {
    // Filled in place: one context object per request on the hot path, not a copy of it.
    Object.assign(ctx, await resolveCaller(ctx, headers));
  } catch (error) {
    // Credentials that cannot be checked are neither accepted nor called wrong: 503, try again.
    if (!isDatabaseUnavailable(error)) throw error;
    ctx.authFailure = "unavailable";
  }
  return ctx;
}
