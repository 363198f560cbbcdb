import type http from "node:http";
import { pathOf, requestMeta, TRPC_BASE_PATH, type Tokensmith } from "@tokensmith/api";
import { applyPagePolicy, pinResponseHeader, setCommonSecurityHeaders } from "./security-headers.js";

export type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** Pages anyone may see; Next's own assets are always public. */
const PUBLIC_PAGES = new Set(["/login"]);
const isAsset = (path: string) => path.startsWith("/_next/") || path === "/favicon.ico";
const isApi = (path: string) => path === "/v1alpha" || path.startsWith("/v1alpha/") || path.startsWith(TRPC_BASE_PATH);

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, "Cache-Control": "no-store" });
  res.end();
}

/**
 * The dashboard: security headers and a nonce set, then — signed out, every page goes to /login;
 * signed in, / and /login go to /tokens. Gating is decided here, where the session store is, so
 * Next never needs database access of its own.
 */
async function serveDashboard(app: Tokensmith, req: http.IncomingMessage, res: http.ServerResponse, web: Listener) {
  const path = pathOf(req.url);
  applyPagePolicy(req, res);
  if (isAsset(path)) return web(req, res);
  const caller = await app.sessionCaller(req.headers.cookie);
  if (!caller && !PUBLIC_PAGES.has(path)) return redirect(res, "/login");
  if (caller && (path === "/" || PUBLIC_PAGES.has(path))) return redirect(res, "/tokens");
  // Pages are rendered per request (each has its own nonce) and may show a user's data: never
  // stored by a browser or a shared cache, whatever Next would have said.
  pinResponseHeader(res, "Cache-Control", "private, no-store");
  return web(req, res);
}

/**
 * One process, two paths: /v1alpha/* and /api/trpc/* go straight to their handlers (no Next machinery
 * per API request); everything else — the dashboard — goes to Next's request handler.
 */
export function createRequestListener(app: Tokensmith, web: Listener): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const trustProxy = app.services.config.trustProxy;
  return (req, res) => {
    setCommonSecurityHeaders(res, requestMeta(req, trustProxy).secure);
    const path = pathOf(req.url);
    if (isApi(path)) {
      // A default only: the API sets its own Cache-Control on every answer it writes, and that wins.
      res.setHeader("Cache-Control", "no-store");
      return path.startsWith(TRPC_BASE_PATH) ? app.handleTrpc(req, res) : app.handleRest(req, res);
    }
    serveDashboard(app, req, res, web).catch((error: unknown) => {
      console.error("[web]", error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("Internal server error");
    });
  };
}
