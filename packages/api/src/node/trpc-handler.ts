import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../root.js";
import { createTRPCContext, type Services } from "../trpc.js";
import { authHeaders, requestMeta } from "./request.js";
import { SESSION_COOKIE, readCookie } from "../auth/cookies.js";

export const TRPC_BASE_PATH = "/api/trpc/";

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader("Set-Cookie");
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader("Set-Cookie", [...list, cookie]);
}

/**
 * A write that a session cookie would authenticate must come from our own pages: a browser always
 * sends Origin with a POST, so another site's form or script is refused. Bearer/Basic callers carry
 * their credentials explicitly and are not exposed to CSRF.
 */
export function isCrossSiteCookieWrite(req: IncomingMessage): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.headers.authorization) return false;
  if (!readCookie(req.headers.cookie, SESSION_COOKIE)) return false;
  const origin = req.headers.origin;
  if (!origin) return req.headers["sec-fetch-site"] !== undefined && req.headers["sec-fetch-site"] !== "same-origin";
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

function refuseCrossSite(res: ServerResponse): void {
  const body = JSON.stringify({
    error: { message: "Cross-site request refused", code: -32003, data: { code: "FORBIDDEN", httpStatus: 403 } },
  });
  res.writeHead(403, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** tRPC over plain node:http at /api/trpc; the dashboard's cookie and API clients' Bearer/Basic both work. */
export function createTrpcHandler(services: Services): (req: IncomingMessage, res: ServerResponse) => void {
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: 64 * 1024,
    createContext: ({ req, res }) =>
      createTRPCContext({
        ...services,
        headers: authHeaders(req, { cookies: true }),
        request: requestMeta(req),
        setCookie: (cookie) => appendSetCookie(res, cookie),
      }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path ?? "?"}`, error);
    },
  });
  return (req, res) => (isCrossSiteCookieWrite(req) ? refuseCrossSite(res) : handler(req, res));
}
