/**
 * The request-target as the routes below expect it: origin-form, "/path?query".
 *
 * RFC 9112 §3.2.2 asks a server to accept absolute-form ("GET http://host/path HTTP/1.1", what
 * proxies send) as well; it is reduced to its path and query, so that neither Next nor a redirect
 * ever sees the foreign authority (Next answered it with `308 Location: http://host/path`: an open
 * redirect). Anything else — "*", authority-form, garbage — is not a resource here: null (400).
 */
export function toOriginForm(target: string | undefined): string | null {
  if (target === undefined || target === "") return null;
  if (target.startsWith("/")) return target;
  if (!/^https?:\/\//i.test(target)) return null;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return null;
  }
}

const BASE = "http://tokensmith.invalid";

/**
 * A dashboard path as a browser sends it: no empty segments ("//x"), no backslashes, no dot
 * segments, raw or percent-encoded ("/_next/../tokens", "/_next/%2e%2e/tokens").
 *
 * Page gating lets /_next/* through unauthenticated, and Next resolves dot segments itself: without
 * this check "/_next/../tokens" was served the /tokens page to anyone. The WHATWG URL parser is the
 * reference for what a browser would have sent, so anything it would rewrite is refused (400).
 */
export function isCanonicalPath(path: string): boolean {
  if (!path.startsWith("/") || path.includes("//") || path.includes("\\")) return false;
  try {
    // A malformed escape ("/tokens/%ZZ") is kept by the URL parser but throws in Next's decoding
    // of dynamic segments (a 500): refuse it here.
    decodeURIComponent(path);
    return new URL(path, BASE).pathname === path;
  } catch {
    return false;
  }
}
