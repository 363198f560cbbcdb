import type { IncomingMessage, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../root.js";
import { createTRPCContext, type Services } from "../trpc.js";
import { authHeaders, requestMeta } from "./request.js";

export const TRPC_BASE_PATH = "/api/trpc/";

function appendSetCookie(res: ServerResponse, cookie: string): void {
  const existing = res.getHeader("Set-Cookie");
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader("Set-Cookie", [...list, cookie]);
}

/** tRPC over plain node:http at /api/trpc; the dashboard's cookie and API clients' Bearer/Basic both work. */
export function createTrpcHandler(services: Services): (req: IncomingMessage, res: ServerResponse) => void {
  return createHTTPHandler({
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
}
