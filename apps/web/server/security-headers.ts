import { randomBytes } from "node:crypto";
import type http from "node:http";

/** 128 random bits per response: a nonce an attacker cannot guess or replay from another page. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The dashboard's Content-Security-Policy.
 *
 * - Scripts run only with this response's nonce. 'strict-dynamic' lets those scripts load Next's
 *   chunks (Turbopack adds <script> elements at runtime), and makes CSP3 browsers ignore host
 *   sources; there is no 'unsafe-inline' and no 'unsafe-eval' (production React/Next need neither).
 * - Styles keep 'unsafe-inline': sonner (the toasts) and react-remove-scroll (Radix dialogs)
 *   inject <style> elements at runtime without a nonce, and server-rendered markup carries style=""
 *   attributes (Next's error pages, Radix) that a nonce cannot cover. Inline CSS cannot run code.
 * - connect-src, img-src and font-src fall back to default-src 'self': the dashboard talks only
 *   to its own /api/trpc and loads nothing from elsewhere.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Headers for every response, API and assets included.
 *
 * Referrer-Policy is strict-origin-when-cross-origin, not no-referrer: the Fetch spec ("append a
 * request Origin header") makes a page under no-referrer send `Origin: null` on its own same-origin
 * POSTs — Firefox does so for fetch(), Chromium for form posts — and the API's CSRF check rightly
 * refuses a write from origin "null", so sign-in would break there. This policy still sends other
 * sites only our origin, never a path or query (no token id leaks), and nothing over HTTPS→HTTP.
 */
export function setCommonSecurityHeaders(res: http.ServerResponse, secure: boolean): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  // Only over HTTPS: a browser ignores HSTS received over HTTP, and a plain-HTTP deployment (or a
  // forged X-Forwarded-Proto without TRUST_PROXY) must not pin a host to HTTPS.
  if (secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

/**
 * Headers for everything Next renders. The request gets the same policy in its own
 * Content-Security-Policy header: that is where Next's App Router reads the nonce
 * (parseRequestHeaders → getScriptNonceFromHeaders) and then puts it on every <script> it emits.
 * A client's own CSP request headers are replaced, so nobody picks the nonce but us.
 */
export function applyPagePolicy(req: http.IncomingMessage, res: http.ServerResponse): string {
  const nonce = createNonce();
  const policy = contentSecurityPolicy(nonce);
  req.headers["content-security-policy"] = policy;
  delete req.headers["content-security-policy-report-only"];
  res.setHeader("Content-Security-Policy", policy);
  // frame-ancestors supersedes it in current browsers; X-Frame-Options covers the older ones.
  res.setHeader("X-Frame-Options", "DENY");
  return nonce;
}

/**
 * Makes `name: value` the header this response is sent with, whatever the handler sets later.
 * Next decides Cache-Control itself (and static pages would say s-maxage=31536000): writeHead is
 * where every header block is flushed — Node's implicit header calls it too — so that is where
 * ours is put back.
 */
export function pinResponseHeader(res: http.ServerResponse, name: string, value: string): void {
  const writeHead = res.writeHead;
  const lower = name.toLowerCase();
  res.writeHead = function pinnedWriteHead(this: http.ServerResponse, ...args: unknown[]) {
    // writeHead(status, [reason], headers): headers passed here would override setHeader's.
    const last = args[args.length - 1];
    if (last && typeof last === "object" && !Array.isArray(last)) {
      for (const key of Object.keys(last)) if (key.toLowerCase() === lower) delete (last as Record<string, unknown>)[key];
    }
    if (!this.headersSent) this.setHeader(name, value);
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}
