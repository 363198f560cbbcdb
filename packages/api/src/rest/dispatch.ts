import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import { isDatabaseUnavailable } from "@tokensmith/db";
import { createRequestContext, type AuthedContext, type Context, type Services } from "../context/index.js";
import { andThen, runCatching, type MaybePromise } from "../util/maybe-promise.js";
import { errorSummary } from "../util/error-summary.js";
import { authHeaders, pathOf, requestMeta } from "../node/request.js";
import { ownEndpointAllowed } from "../auth/own-endpoints.js";
import { BODY_LIMIT_BYTES, HttpError, readBody, sendJson } from "./http.js";
import { clientUnauthorized, databaseUnavailable, fromTRPCError, unauthorized } from "./errors.js";
import { postedClient, readOAuthForm, type OAuthForm } from "./oauth-form.js";
import type { RequestHeaders } from "../auth/resolve-caller.js";
import type { Handler, Route } from "./route.js";
import { noteCaller } from "../node/request-record.js";
import { isCrossSiteWrite, unsupportedBody } from "../node/browser-writes.js";
import { INTERNAL_ERROR_MESSAGE } from "../auth/errors.js";
import { spendCallerUse } from "../auth/uses.js";

const JSON_ONLY = ["application/json"];
import { log } from "../log/logger.js";

/**
 * What one REST mount is: its routes and its wire format. Everything else — method dispatch,
 * authentication, allowed endpoints, usage counts, errors — is the same for every mount, here.
 */
export const NOT_DIRECT = Symbol("not a direct path");

export interface Mount {
  /** For the log: "[v1alpha] …". */
  name: string;
  /**
   * Paths this mount answers before any authentication, by handlers of their own: NOT_DIRECT when
   * the path is not one of them (a handler that answered may return nothing at all).
   */
  direct?(req: IncomingMessage, res: ServerResponse, path: string, method: string): MaybePromise<void> | typeof NOT_DIRECT;
  /** The route of a path, or null (404). */
  route(path: string): Route | null;
  /** Whether a method the route does not serve is refused (405) only after authentication, as Specter does. */
  methodAfterAuth?: boolean;
  /** An error as this mount's clients know it: the same status, perhaps other words. */
  present?(error: HttpError): HttpError;
  /** Writes a JSON answer in this mount's format (default: sendJson). */
  send?(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
}

function insufficientScope(method: string, path: string): HttpError {
  return new HttpError(403, `This token may not call ${method} ${path}`, {}, {
    "WWW-Authenticate": 'Bearer realm="tokensmith", error="insufficient_scope"',
  });
}

/** Anything a handler threw, as the HTTP error it stands for. */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isDatabaseUnavailable(error) || (error instanceof TRPCError && isDatabaseUnavailable(error.cause))) return databaseUnavailable();
  if (error instanceof TRPCError) return fromTRPCError(error);
  return new HttpError(500, INTERNAL_ERROR_MESSAGE);
}

/** A mount's request handler: HTTP in, the shared handlers, the mount's JSON out. Never throws. */
export function createMountHandler(services: Services, mount: Mount): (req: IncomingMessage, res: ServerResponse) => void {
  const send = mount.send ?? sendJson;

  function handle(req: IncomingMessage, res: ServerResponse): MaybePromise<void> {
    const path = pathOf(req.url);
    const method = req.method ?? "GET";
    const direct = mount.direct ? mount.direct(req, res, path, method) : NOT_DIRECT;
    if (direct !== NOT_DIRECT) return direct;
    const matched = mount.route(path);
    if (!matched) throw new HttpError(404, `No such endpoint: ${method} ${path}`);
    // HEAD is GET without a body (Node leaves the body out of the answer to a HEAD request).
    let handler = matched.handlers[method === "HEAD" ? "GET" : method];
    if (!handler) {
      const methods = Object.keys(matched.handlers);
      const allow = methods.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])).join(", ");
      const notAllowed = new HttpError(405, `Method ${method} not allowed here; use ${allow}`, {}, { Allow: allow });
      if (!mount.methodAfterAuth) throw notAllowed;
      handler = () => {
        throw notAllowed;
      };
    }
    // Before credentials are looked at: a page on another site gets nothing counted, checked or done.
    if (isCrossSiteWrite(req, services.config.trustProxy)) throw new HttpError(403, "Cross-site request refused");
    const reads = matched.reads ?? JSON_ONLY;
    const unsupported = unsupportedBody(req, reads);
    if (unsupported) throw new HttpError(415, unsupported, {}, { Accept: reads.join(", ") });
    const chosen = handler;
    // An OAuth client may authenticate in the body (client_secret_post): it is read first.
    if (matched.oauthClient) {
      return readBody(req, BODY_LIMIT_BYTES).then((body) => {
        const form = readOAuthForm(req, body);
        const headers = { ...authHeaders(req, { cookies: false }), oauthClient: { post: postedClient(form, req.headers.authorization) } };
        return andThen(contextFor(req, res, headers), (ctx) => answer(ctx, chosen, matched, method, req, res, form));
      });
    }
    // REST takes Basic or Bearer only; cookies stay with the dashboard.
    return andThen(contextFor(req, res, authHeaders(req, { cookies: false })), (ctx) => answer(ctx, chosen, matched, method, req, res));
  }

  function contextFor(req: IncomingMessage, res: ServerResponse, headers: RequestHeaders): MaybePromise<Context> {
    return createRequestContext(services, {
      headers,
      request: requestMeta(req, services.config.trustProxy),
      // RateLimit headers: kept on whatever this request is answered with.
      setHeader: (name, value) => res.setHeader(name, value),
    });
  }

  function answer(ctx: Context, handler: Handler, matched: Route, method: string, req: IncomingMessage, res: ServerResponse, form?: OAuthForm): MaybePromise<void> {
    noteCaller(req, ctx.caller);
    if (!ctx.caller) throw matched.oauthClient ? clientUnauthorized(ctx) : unauthorized(ctx.authFailure, ctx.retryAfterSeconds, ctx.quota, ctx.authReason);
    const token = ctx.caller.token;
    if (!ownEndpointAllowed(token?.endpoints ?? null, method, matched.canonical)) {
      if (token) services.usage.count(token.id, "forbidden");
      throw insufficientScope(method, matched.canonical);
    }
    if (!token) return run(ctx, handler, matched, req, res, form);
    // Last, once everything else allowed the request: a refused request spends no use (auth/uses.ts).
    return andThen(spendCallerUse(services, ctx.caller), (spent) => {
      if (!spent) throw unauthorized("uses_exhausted");
      services.usage.count(token.id, "allowed");
      return run(ctx, handler, matched, req, res, form);
    });
  }

  function run(ctx: Context, handler: Handler, matched: Route, req: IncomingMessage, res: ServerResponse, form?: OAuthForm): MaybePromise<void> {
    return andThen(handler({ ctx: ctx as AuthedContext, req, id: matched.id, subId: matched.subId ?? "", ...(form ? { form } : {}) }), ([status, body]) => send(res, status, body));
  }

  function respondError(res: ServerResponse, error: unknown): void {
    const http = toHttpError(error);
    if (http.status === 503) log.error(`[${mount.name}] database unavailable: ${errorSummary(error)}`);
    else if (http.status >= 500) log.error({ err: error }, `[${mount.name}] request failed`);
    if (res.headersSent) return void res.destroy();
    const shown = mount.present?.(http) ?? http;
    send(res, shown.status, { message: shown.message, ...shown.details }, shown.headers);
  }

  // A throw before the first await and a rejection after it are answered alike.
  return (req: IncomingMessage, res: ServerResponse): void => runCatching(handle, req, res, respondError);
}
