import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../root.js";
import { createRequestContext, type Services } from "../context/index.js";
import { authHeaders, requestMeta } from "./request.js";
import { noteCaller } from "./request-record.js";
import { andThen } from "../util/maybe-promise.js";
import { log } from "../log/logger.js";
import { isCrossSiteWrite, unsupportedBody } from "./browser-writes.js";

export const TRPC_BASE_PATH = "/api/trpc/";
/** Calls per batched request: a batch is authenticated once, so a big one would multiply what one request may try. */
export const MAX_BATCH_CALLS = 10;
const ALLOWED_METHODS = "GET, HEAD, POST";
const JSON_ONLY = ["application/json"] as const;

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader("Set-Cookie");
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader("Set-Cookie", [...list, cookie]);
}

function sendTrpcError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { message, code: -32600, data: { code, httpStatus: status } } });
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(body);
}

/**
 * "token.list,token.get" → 2, before tRPC parses anything. Counted on the path as tRPC will read
 * it — percent-decoded, so "token.self%2Ctoken.self" is two calls too (counting raw commas let a
 * batch of hundreds pass as one); null when it does not decode.
 */
function callsInPath(url: string): number | null {
  const end = url.indexOf("?");
  let procedures: string;
  try {
    procedures = decodeURIComponent(url.slice(TRPC_BASE_PATH.length, end === -1 ? undefined : end));
  } catch {
    return null;
  }
  let calls = 1;
  for (let i = 0; i < procedures.length; i++) if (procedures.charCodeAt(i) === 44 /* , */) calls++;
  return calls;
}

/** The request's call count, worked out once before tRPC runs and read again by its context. */
const CALLS = Symbol("tokensmith.trpcCalls");
type CountedRequest = IncomingMessage & { [CALLS]?: number };

/** tRPC over plain node:http at /api/trpc; the dashboard's cookie and API clients' Bearer/Basic both work. */
export function createTrpcHandler(services: Services): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: 64 * 1024,
    // tRPC's own cap as well, on the paths it splits: a second lock on the same door.
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: ({ req, res }) =>
      andThen(createRequestContext(services, {
        headers: authHeaders(req, { cookies: true }),
        request: requestMeta(req, services.config.trustProxy),
        setCookie: (cookie) => appendSetCookie(res, cookie),
        setHeader: (name, value) => res.setHeader(name, value),
        // Each call of a batch counts against a token's rate limit (the cap below keeps it small).
        calls: (req as CountedRequest)[CALLS] ?? 1,
      }), (ctx) => {
        noteCaller(req, ctx.caller);
        return ctx;
      }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error, procedure: path ?? "?" }, "[trpc] request failed");
    },
  });
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "POST" && req.method !== "HEAD") {
      return sendTrpcError(res, 405, "METHOD_NOT_SUPPORTED", `Method ${req.method} not allowed; use ${ALLOWED_METHODS}`, { Allow: ALLOWED_METHODS });
    }
    // HEAD is a query without its body: tRPC knows GET, and Node leaves the body out of a HEAD answer.
    if (req.method === "HEAD") req.method = "GET";
    const calls = callsInPath(req.url ?? "");
    if (calls === null) return sendTrpcError(res, 400, "BAD_REQUEST", "The procedure path is not valid percent-encoding");
    if (calls > MAX_BATCH_CALLS) {
      return sendTrpcError(res, 400, "BAD_REQUEST", `A batch may hold at most ${MAX_BATCH_CALLS} calls; this one has ${calls}`);
    }
    (req as CountedRequest)[CALLS] = calls;
    if (isCrossSiteWrite(req, services.config.trustProxy, !req.headers.authorization)) {
      return sendTrpcError(res, 403, "FORBIDDEN", "Cross-site request refused");
    }
    // tRPC would read multipart/form-data (a form another site's page can post) as FormData.
    const unsupported = unsupportedBody(req, JSON_ONLY);
    if (unsupported) return sendTrpcError(res, 415, "UNSUPPORTED_MEDIA_TYPE", unsupported, { Accept: JSON_ONLY[0] });
    handler(req, res);
  };
}
