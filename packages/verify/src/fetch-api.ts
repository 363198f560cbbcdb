import type { Caller, Verifier } from "./verifier.js";

/**
 * Verifies a fetch-API `Request` (Hono, Next route handlers, Bun, Deno): its Authorization header
 * against its method and path. Rejects with a VerifyError, whose `toResponse()` is the answer.
 *
 * The path is taken from the request URL as parsed (WHATWG URL): dot segments are already
 * resolved there, as the handler will see them; escapes are judged by normalizeRequestPath.
 */
export function verifyRequest(verifier: Verifier, request: Request): Promise<Caller> {
  const url = new URL(request.url);
  return verifier.verify(request.headers.get("authorization"), { method: request.method, path: `${url.pathname}${url.search}` });
}
