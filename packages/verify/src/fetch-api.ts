import { originOption } from "./served-url.js";
import type { Caller, Verifier } from "./verifier.js";

/**
 * Verifies a fetch-API `Request` (Hono, Next route handlers, Bun, Deno): its Authorization header
 * against its method and path. Rejects with a VerifyError, whose `toResponse()` is the answer.
 *
 * The path is taken from the request URL, which a Request holds parsed (WHATWG URL): dot
 * segments (`..`, `%2e%2e`) are already resolved there, and a router reading `request.url` sees
 * the same path; everything else servers read differently is refused by normalizeRequestPath.
 * A Request does not know its client's address: pass `ip` (e.g. Hono's getConnInfo, Bun's
 * server.requestIP, Deno's info.remoteAddr) when tokens may carry an allowlist.
 * A DPoP-bound token's proof must name the request's URL, at `origin` when given (set it: the
 * runtime builds request.url from the client's Host header).
 */
export function verifyRequest(verifier: Verifier, request: Request, options: { ip?: string | null; origin?: string } = {}): Promise<Caller> {
  const url = new URL(request.url);
  const path = `${url.pathname}${url.search}`;
  const origin = originOption(options);
  const proof = request.headers.get("dpop");
  return verifier.verify(request.headers.get("authorization"), {
    method: request.method,
    path,
    ip: options.ip ?? null,
    // Headers joins a repeated header with ", ", which no JWT contains: repeated, so refused.
    dpop: proof === null ? undefined : proof.includes(",") ? null : proof,
    url: origin === undefined ? request.url : origin + path,
  });
}
