import { endpointAllowed } from "@tokensmith/core";

/**
 * Where Tokensmith's own API lives: its REST API, the Specter-compatible mount, and tRPC.
 */
const OWN_API_ROOTS = ["/v1alpha/", "/api/v1alpha/", "/api/trpc/"] as const;

/** The part of a stored pattern's path before its first `*` (the whole path when it has none). */
function literalPrefix(pattern: string): string {
  const path = pattern.slice(pattern.indexOf(" ") + 1);
  const star = path.indexOf("*");
  return star === -1 ? path : path.slice(0, star);
}

/** The patterns that name Tokensmith's own API: their literal part starts inside one of its roots. */
const namesOwnApi = (pattern: string) => {
  const prefix = literalPrefix(pattern);
  return OWN_API_ROOTS.some((root) => prefix.startsWith(root));
};

/**
 * May a token call this route of Tokensmith's own API (REST, the Specter mount, tRPC)? A token's
 * patterns are the same whichever server it is shown to, and the APIs it is made for often live
 * under `/api/`, where Tokensmith's Specter mount and tRPC live too: a token for `GET /api/*` (its
 * holder's orders API, say) would read its user's token list and, for an administrator, the whole
 * audit log. So here only patterns that name this API count: what comes before their first `*`
 * starts with `/v1alpha/`, `/api/v1alpha/` or `/api/trpc/`. A wildcard that merely covers these
 * paths (`GET /*`, `GET /api/*`) does not; a token without a list still may call every endpoint.
 */
export function ownEndpointAllowed(patterns: readonly string[] | null, method: string, path: string): boolean {
  return patterns === null || endpointAllowed(patterns.filter(namesOwnApi), method, path);
}
