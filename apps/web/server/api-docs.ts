import fs from "node:fs";
import type http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import zlib from "node:zlib";
import { createNonce } from "./security-headers.js";

/**
 * /docs: the API reference, Scalar's standalone bundle rendering /v1alpha/openapi.json. Everything
 * comes from this server — the bundle is read from node_modules, never a CDN — and the page's
 * policy lets it reach nothing else: Scalar's web fonts, its AI agent and its hosted API client
 * are switched off, and connect-src 'self' keeps "Test request" on this origin. The page names
 * its own origin as the one server (the document names PUBLIC_URL, which may be another address
 * of the same server: a request there would be cross-origin, refused by the policy).
 */
export const DOCS_PATH = "/docs";
const require = createRequire(import.meta.url);
const SCALAR_DIR = path.join(path.dirname(require.resolve("@scalar/api-reference")), "browser");
const SCALAR_VERSION = (require(path.join(SCALAR_DIR, "../../package.json")) as { version: string }).version;
/** Versioned, so it can be cached for good: a new release is a new URL. */
export const SCALAR_SCRIPT_PATH = `${DOCS_PATH}/scalar-${SCALAR_VERSION}.js`;

export const isDocsPath = (path: string) => path === DOCS_PATH || path === `${DOCS_PATH}/` || path === SCALAR_SCRIPT_PATH;

const SCALAR_CONFIGURATION = {
  url: "/v1alpha/openapi.json",
  withDefaultFonts: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  hideClientButton: true,
  showDeveloperTools: "never",
  telemetry: false,
  defaultOpenAllTags: true,
  metaData: { title: "Tokensmith API reference" },
  // The "Authentication Required" header shares a line with the auth-type picker, which squeezed
  // it until "Required" was cut off under the picker: the header keeps its width, the picker wraps.
  customCss: '.scalar-app button:has([data-testid="auth-indicator"]) { overflow: visible; flex: none; padding-right: 8px !important; }',
};

/**
 * Scalar (Vue) sets style attributes and <style> elements at runtime: styles need 'unsafe-inline',
 * as on the dashboard (inline CSS cannot run code). Scripts: only this response's nonce.
 */
function docsPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function page(nonce: string): string {
  // JSON in a <script> element: "<" escaped so no value can close the element.
  const configuration = JSON.stringify(SCALAR_CONFIGURATION).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tokensmith API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<nav aria-label="Dashboard" style="padding:8px 16px;border-bottom:1px solid #d4d4d8;font:14px system-ui,sans-serif;background:#fff"><a href="/tokens" style="color:#4338ca">← Back to the dashboard</a></nav>
<noscript>The API reference needs JavaScript. The document itself: <a href="/v1alpha/openapi.json">/v1alpha/openapi.json</a>.</noscript>
<div id="app"></div>
<script nonce="${nonce}" src="${SCALAR_SCRIPT_PATH}"></script>
<script nonce="${nonce}">Scalar.createApiReference("#app", Object.assign(${configuration}, { servers: [{ url: location.origin, description: "This address (where this page was loaded from)" }] }));</script>
</body>
</html>
`;
}

let bundle: { plain: Buffer; gzip: Buffer; etag: string } | undefined;
function scalarBundle() {
  if (!bundle) {
    const plain = fs.readFileSync(path.join(SCALAR_DIR, "standalone.js"));
    bundle = { plain, gzip: zlib.gzipSync(plain), etag: `"scalar-${SCALAR_VERSION}"` };
  }
  return bundle;
}

export function serveDocs(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": "default-src 'none'" });
    return void res.end("Method not allowed");
  }
  if (path === SCALAR_SCRIPT_PATH) {
    const { plain, gzip, etag } = scalarBundle();
    const gzipped = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzipped ? gzip : plain;
    const headers = {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: etag,
      Vary: "Accept-Encoding",
      ...(gzipped ? { "Content-Encoding": "gzip" } : {}),
    };
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304, headers).end();
    res.writeHead(200, { ...headers, "Content-Length": body.length });
    return void res.end(method === "HEAD" ? undefined : body);
  }
  const nonce = createNonce();
  const html = page(nonce);
  res.writeHead(200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(html),
    "Content-Security-Policy": docsPolicy(nonce),
    "X-Frame-Options": "DENY",
    // Public and the same for everyone, but each copy has its own nonce.
    "Cache-Control": "no-store",
  });
  res.end(method === "HEAD" ? undefined : html);
}
