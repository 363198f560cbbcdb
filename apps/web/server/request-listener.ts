import type http from "node:http";
import { isDatabaseUnavailable, isHealthPath, log, noteCaller, pathOf, recordOf, requestMeta, runCatching, TRPC_BASE_PATH, WELL_KNOWN_PREFIX, type Tokensmith } from "@tokensmith/api";
import Negotiator from "negotiator";
import { parseAndValidateFlightRouterState } from "next/dist/server/app-render/parse-and-validate-flight-router-state.js";
import { isCanonicalPath, toOriginForm } from "./request-target.js";
import { isDocsPath, serveDocs } from "./api-docs.js";
import { applyPagePolicy, pinResponseHeader, setCommonSecurityHeaders } from "./security-headers.js";
import { routeGroup, type RequestTracker } from "./request-log.js";

export type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** More header lines than any browser or API client sends; http-server.ts has Node keep one more, to notice. */
export const MAX_REQUEST_HEADERS = 100;

/** Pages anyone may see; Next's own assets are always public. */
const PUBLIC_PAGES = new Set(["/login"]);
const isAsset = (path: string) => path.startsWith("/_next/static/") || path === "/favicon.ico";
/**
 * Next's other endpoints under /_next/ — the image optimizer, pages-router data, dev HMR — are
 * unused by the dashboard, and the image optimizer answered malformed ?url= values with 500s: not
 * served at all.
 */
const isUnusedNextEndpoint = (path: string) => path.startsWith("/_next/") && !isAsset(path);
/** Everything under /api/ is API: tRPC, Specter's mount (/api/v1alpha/), and JSON 404s for the rest. */
const isUnderApi = (path: string) => path === "/api" || path.startsWith("/api/");
const isApi = (path: string) =>
  path === "/v1alpha" || path.startsWith("/v1alpha/") || isUnderApi(path) || path.startsWith(WELL_KNOWN_PREFIX);

/**
 * A client that wants JSON more than HTML (an API client that mistyped a path) is answered with a
 * JSON 404, not sent to the sign-in page. A tie goes to HTML: browsers (and Next's own fetches,
 * `Accept: *\/*`) get the dashboard.
 */
const wantsJson = (req: http.IncomingMessage) =>
  req.headers.accept !== undefined && new Negotiator(req).mediaType(["text/html", "application/json"]) === "application/json";

const READ_METHODS = ["GET", "HEAD"];
// The sign-in form posts (method="post") only when submitted before React has hydrated it; see below.
const LOGIN_METHODS = ["GET", "HEAD", "POST"];

/** Security headers (and Connection: close) survive a reset; whatever a handler had set before failing does not. */
const KEPT_ON_RESET = new Set([
  "connection",
  "x-content-type-options",
  "referrer-policy",
  "strict-transport-security",
  "content-security-policy",
  "x-frame-options",
  "x-request-id",
]);

/** For our own plain-text answers: nothing in them may load, run or be framed. */
const PLAIN_TEXT_POLICY = "default-src 'none'; frame-ancestors 'none'";

function sendText(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  for (const name of res.getHeaderNames()) if (!KEPT_ON_RESET.has(name)) res.removeHeader(name);
  if (!res.hasHeader("content-security-policy")) res.setHeader("Content-Security-Policy", PLAIN_TEXT_POLICY);
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(text);
}

function sendJsonNotFound(res: http.ServerResponse, method: string, path: string): void {
  const body = JSON.stringify({ message: `No such endpoint: ${method} ${path}` });
  res.writeHead(404, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

function redirect(res: http.ServerResponse, status: 302 | 303, location: string): void {
  res.writeHead(status, { Location: location, "Cache-Control": "no-store" });
  res.end();
}

/**
 * Whatever escaped a handler. Malformed input that only surfaced as a parsing error (a bad
 * percent-escape, an unparsable URL) is the client's fault: 400. Anything else is ours: logged,
 * and answered 500 without a word about what broke. Never throws.
 */
function failRequest(res: http.ServerResponse, error: unknown): void {
  try {
    const code = (error as { code?: unknown } | null)?.code;
    const badInput = error instanceof URIError || code === "ERR_INVALID_URL";
    if (!badInput) log.error({ err: error }, "[web] request failed");
    if (res.headersSent) return void res.destroy();
    if (badInput) sendText(res, 400, "Bad request");
    else sendText(res, 500, "Internal server error");
  } catch (secondError) {
    log.error({ err: secondError }, "[web] could not answer a failed request");
    res.destroy();
  }
}

/**
 * Next answers a malformed Next-Router-State-Tree header (sent by its client router) with a 500 and
 * a logged stack trace. Checked first with Next's own parser (the version is pinned, and a move of
 * this module fails loudly at start): a bad one is the client's fault.
 */
function hasValidRouterState(req: http.IncomingMessage): boolean {
  try {
    parseAndValidateFlightRouterState(req.headers["next-router-state-tree"]);
    return true;
  } catch {
    return false;
  }
}

/**
 * The dashboard: method and path checked, security headers and a nonce set, then — signed out,
 * every page goes to /login; signed in, / and /login go to /tokens. Gating is decided here, where
 * the session store is, so Next never needs database access of its own.
 */
async function serveDashboard(app: Tokensmith, req: http.IncomingMessage, res: http.ServerResponse, web: Listener) {
  const path = pathOf(req.url);
  if (!isCanonicalPath(path)) return sendText(res, 400, "Bad request path");
  if (isUnusedNextEndpoint(path)) return sendText(res, 404, "Not found");
  const asset = isAsset(path);
  const allowed = !asset && path === "/login" ? LOGIN_METHODS : READ_METHODS;
  const method = req.method ?? "GET";
  if (!allowed.includes(method)) return sendText(res, 405, "Method not allowed", { Allow: allowed.join(", ") });
  // The no-JS fallback of the sign-in form. Its body (with the password) is never read: signing in
  // happens only through /api/trpc/auth.login, which the hydrated page calls. 303: GET it again.
  if (method === "POST") return redirect(res, 303, "/login");
  if (!hasValidRouterState(req)) return sendText(res, 400, "Bad Next-Router-State-Tree header");

  applyPagePolicy(req, res);
  if (asset) return web(req, res);
  let caller;
  try {
    caller = await app.sessionCaller(req.headers.cookie);
  } catch (error) {
    // The session cannot be checked: neither let the page through nor pretend it is signed out.
    if (!isDatabaseUnavailable(error)) throw error;
    return sendText(res, 503, "The database cannot be reached right now. Try again in a few seconds.", { "Retry-After": "5" });
  }
  noteCaller(req, caller);
  if (!caller && !PUBLIC_PAGES.has(path)) return redirect(res, 302, "/login");
  if (caller && (path === "/" || PUBLIC_PAGES.has(path))) return redirect(res, 302, "/tokens");
  // Pages are rendered per request (each has its own nonce) and may show a user's data: never
  // stored by a browser or a shared cache, whatever Next would have said.
  pinResponseHeader(res, "Cache-Control", "private, no-store");
  return web(req, res);
}

/**
 * One process, two paths: /v1alpha/*, /api/* (tRPC, Specter's mount) and /.well-known/* go straight
 * to their handlers (no Next machinery per API request); everything else — the dashboard — goes to
 * Next's request handler.
 *
 * Nothing a request does escapes as an uncaught exception or an unhandled rejection: a synchronous
 * throw or a rejection from any path ends in failRequest.
 */
export function createRequestListener(app: Tokensmith, web: Listener, requests: RequestTracker): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const trustProxy = app.services.config.trustProxy;

  function route(req: http.IncomingMessage, res: http.ServerResponse): unknown {
    setCommonSecurityHeaders(res, requestMeta(req, trustProxy).secure);
    // Node keeps at most MAX_REQUEST_HEADERS + 1 lines and silently drops the rest; dropping could lose
    // the header a proxy appended last (X-Forwarded-For), so a request that long is refused instead.
    if (req.rawHeaders.length > MAX_REQUEST_HEADERS * 2) return sendText(res, 431, "Too many request headers");
    const target = toOriginForm(req.url);
    if (target === null) return sendText(res, 400, "Bad request target");
    req.url = target;
    const path = pathOf(target);
    recordOf(req)!.group = routeGroup(path);
    if (isHealthPath(path)) return app.handleHealth(req, res, path);
    if (isApi(path)) {
      // A default only: the API sets its own Cache-Control on every answer it writes, and that wins.
      res.setHeader("Cache-Control", "no-store");
      if (path.startsWith(TRPC_BASE_PATH)) return app.handleTrpc(req, res);
      if (path.startsWith(WELL_KNOWN_PREFIX)) return app.handleWellKnown(req, res);
      if (isUnderApi(path)) return app.handleSpecter(req, res);
      return app.handleRest(req, res);
    }
    if (wantsJson(req) && !isAsset(path)) return sendJsonNotFound(res, req.method ?? "GET", path);
    if (isDocsPath(path)) return serveDocs(req, res, path);
    return serveDashboard(app, req, res, web);
  }

  // Not an async function: an API request answered synchronously (a cached token) allocates no
  // promise here. A throw and a rejection end alike.
  return (req, res) => {
    requests.begin(req, res);
    runCatching(route, req, res, failRequest);
  };
}
