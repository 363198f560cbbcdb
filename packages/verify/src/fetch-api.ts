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
 */
export function verifyRequest(verifier: Verifier, request: Request, options: { ip?: string | null } = {}): Promise<Caller> {
  const url = new URL(request.url);
  return verifier.verify(request.headers.get("authorization"), { method: request.method, path: `${url.pathname}${url.search}`, ip: options.ip ?? null });
}
