import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "../context/index.js";
import { pathOf } from "../node/request.js";
import { sendJson } from "./http.js";

export const WELL_KNOWN_PREFIX = "/.well-known/";
/** Verifiers cache the key set this long; a new key is published longer than that before it signs. */
export const JWKS_MAX_AGE_SECONDS = 300;

/**
 * Publication: the keys that verify tokens (RFC 7517) and the metadata that names them (RFC 8414),
 * so standard tooling finds the issuer, its key set and its introspection endpoint.
 */
export function createWellKnownHandler(services: Services) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url);
    const route = path === "/.well-known/jwks.json" ? "jwks" : path === "/.well-known/oauth-authorization-server" ? "metadata" : null;
    if (route === null) return sendJson(res, 404, { message: `No such endpoint: ${req.method} ${path}` });
    if (req.method !== "GET" && req.method !== "HEAD") {
      return sendJson(res, 405, { message: `Method ${req.method} not allowed here; use GET` }, { Allow: "GET, HEAD" });
    }
    const base = services.site.publicUrl;
    const cache = { "Cache-Control": `public, max-age=${JWKS_MAX_AGE_SECONDS}`, "Access-Control-Allow-Origin": "*" };
    if (route === "jwks") return sendJson(res, 200, services.keys.jwks(), { ...cache, "Content-Type": "application/jwk-set+json" });
    sendJson(
      res,
      200,
      {
        issuer: base,
        jwks_uri: `${base}/.well-known/jwks.json`,
        introspection_endpoint: `${base}/v1alpha/introspect`,
        introspection_endpoint_auth_methods_supported: ["client_secret_basic", "bearer"],
        token_endpoint_auth_signing_alg_values_supported: [services.config.tokenAlg],
        service_documentation: `${base}/docs`,
      },
      cache,
    );
  };
}
