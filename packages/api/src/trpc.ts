import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { spendCallerUse, USES_EXHAUSTED_MESSAGE } from "./auth/uses.js";
import type { Context } from "./context/context.js";
import { isDatabaseUnavailable } from "@tokensmith/db";
import { ownEndpointAllowed } from "./auth/own-endpoints.js";
import { ADDRESS_NOT_ALLOWED_MESSAGE, INTERNAL_ERROR_MESSAGE, tooManyAttempts, unavailable, UNAVAILABLE_RETRY_SECONDS } from "./auth/errors.js";
import { overLimitMessage } from "./rate-limits/headers.js";
import { dpopChallenge } from "./auth/dpop.js";

/** Zod's messages joined into one sentence a person can read: "description: Too big: …". */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export interface Meta {
  /**
   * The "METHOD /path" this procedure stands for when checking a token's allowed endpoints: the
   * REST route doing the same thing, so one pattern governs both. Without it: POST or GET
   * /api/trpc/<procedure>.
   */
  endpoint?: (input: unknown) => string;
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // A 500 is a fault of ours, and its message is whatever broke: a database's words (a query,
      // a table, the bytes it refused), a library's, a path. Logged where the handler is (onError),
      // never sent. Every other code's message is one this code base wrote for the caller.
      message: error.code === "INTERNAL_SERVER_ERROR" ? INTERNAL_ERROR_MESSAGE : shape.message,
      data: { ...shape.data, stack: undefined, issues: zod?.issues.map(({ path, message }) => ({ path, message })) },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
/**
 * Input errors get a readable message ("description: must not be empty") on every path — HTTP and
 * createCaller alike — instead of zod's JSON dump (input parsing runs inside `next()` here); an
 * unreachable database is a 503 to retry, not a 500.
 */
const readableErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ZodError) result.error.message = describeZodError(result.error.cause);
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) {
    ctx.setHeader("Retry-After", String(UNAVAILABLE_RETRY_SECONDS));
    return { ...result, error: unavailable() };
  }
  return result;
});

export const publicProcedure = t.procedure.use(readableErrors);

/** Any signed-in caller (session cookie, HTTP Basic or Bearer token), within its token's allowed endpoints. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next, meta, type, path, getRawInput }) => {
  if (!ctx.caller) {
    if (ctx.authFailure === "unavailable") {
      ctx.setHeader("Retry-After", String(UNAVAILABLE_RETRY_SECONDS));
      throw unavailable();
    }
    if (ctx.authFailure === "rate_limited") {
      const seconds = ctx.retryAfterSeconds ?? 60;
      ctx.setHeader("Retry-After", String(seconds));
      throw tooManyAttempts(seconds);
    }
    // Its headers (RateLimit, Retry-After) were set when the context was built.
    if (ctx.authFailure === "token_rate_limited") throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: overLimitMessage(ctx.quota!) });
    if (ctx.authFailure === "address_not_allowed") throw new TRPCError({ code: "FORBIDDEN", message: ADDRESS_NOT_ALLOWED_MESSAGE });
    if (ctx.authFailure === "invalid_dpop_proof" || ctx.authFailure === "dpop_invalid_token") {
      ctx.setHeader("WWW-Authenticate", dpopChallenge(ctx.authFailure === "invalid_dpop_proof" ? "invalid_dpop_proof" : "invalid_token", ctx.authReason));
      throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.authReason ?? "Invalid DPoP proof" });
    }
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.authFailure === "invalid_token" ? "Invalid or expired token" : "Authentication required",
    });
  }
  const endpoints = ctx.caller.token?.endpoints ?? null;
  if (endpoints !== null) {
    const endpoint = meta?.endpoint ? meta.endpoint(await getRawInput()) : `${type === "query" ? "GET" : "POST"} /api/trpc/${path}`;
    const space = endpoint.indexOf(" ");
    if (!ownEndpointAllowed(endpoints, endpoint.slice(0, space), endpoint.slice(space + 1))) {
      ctx.usage.count(ctx.caller.token!.id, "forbidden");
      throw new TRPCError({ code: "FORBIDDEN", message: `This token may not call ${endpoint}` });
    }
  }
  if (ctx.caller.token) {
    // Last, once everything else allowed the call: a refused call spends no use (auth/uses.ts).
    if (!(await spendCallerUse(ctx, ctx.caller))) throw new TRPCError({ code: "UNAUTHORIZED", message: USES_EXHAUSTED_MESSAGE });
    ctx.usage.count(ctx.caller.token.id, "allowed");
  }
  return next({ ctx: { caller: ctx.caller } });
});

/** Administrators only; a token of an administrator counts, within its endpoints. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.caller.isAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only administrators may do this" });
  return next();
});

/**
 * Administrators proving themselves with a password (dashboard session, HTTP Basic, or the CLI on
 * the server itself): creating, deleting and resetting users, and granting admin, make durable
 * credentials — a token, which can leak from a CI log, must not be able to mint them.
 */
export const passwordAdminProcedure = adminProcedure.use(({ ctx, next }) => {
  if (ctx.caller.via === "bearer") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Managing users needs an administrator's password (dashboard sign-in or HTTP Basic); a token cannot do it",
    });
  }
  return next();
});
