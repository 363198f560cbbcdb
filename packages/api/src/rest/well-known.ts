import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "../context/index.js";
import { pathOf } from "../node/request.js";
import { sendJson } from "./http.js";

export const WELL_KNOWN_PREFIX = "/.well-known/";
/** Verifiers cache the key set this long; a new key is published longer than that before it signs. */
export const JWKS_MAX_AGE_SECONDS = 300;

/** Where the metadata is served: RFC 8414's path, and OpenID Connect Discovery's, which most OAuth libraries fetch by default. */
const METADATA_PATHS = new Set(["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]);

/** How a client authenticates at introspection and revocation: RFC 6749 §2.3.1's registered methods (Bearer is our own extension, not named here). */
export const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"];

/**
 * RFC 8414 §2 authorization server metadata: only what this server honours. No grant is served
 * (tokens are made through the API, not an OAuth flow), so no authorization or token endpoint,
 * and response_types_supported (required) and grant_types_supported (whose default would claim
 * two grants) are empty. Nothing of OpenID Connect's: this is no OpenID provider, and no ID token
 * is ever issued, whichever path the document is fetched from.
 */
export function serverMetadata(base: string) {
  return {
    issuer: base,
    jwks_uri: `${base}/.well-known/jwks.json`,
    response_types_supported: [] as string[],
    grant_types_supported: [] as string[],
    introspection_endpoint: `${base}/v1alpha/introspect`,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint: `${base}/v1alpha/revoke`,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    service_documentation: `${base}/docs`,
  };
}

/**
 * Publication: the keys that verify tokens (RFC 7517) and the metadata that names them (RFC 8414),
 * so standard tooling finds the issuer, its key set, and its introspection and revocation endpoints.
 */
export function createWellKnownHandler(services: Services) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url);
    const route = path === "/.well-known/jwks.json" ? "jwks" : METADATA_PATHS.has(path) ? "metadata" : null;
    if (route === null) return sendJson(res, 404, { message: `No such endpoint: ${req.method} ${path}` });
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { message: `Method ${req.method} not allowed here; use GET` }, { Allow: "GET, HEAD" });
    }
    const cache = { "Cache-Control": `public, max-age=${JWKS_MAX_AGE_SECONDS}`, "Access-Control-Allow-Origin": "*" };
    if (route === "jwks") return sendJson(res, 200, services.keys.jwks(), { ...cache, "Content-Type": "application/jwk-set+json" });
    sendJson(res, 200, serverMetadata(services.site.publicUrl), cache);
  };
}
