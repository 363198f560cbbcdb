import { authenticatedResponses, headerRef, json, publicResponses, schemaRef } from "./responses.js";
import { TOKEN_ID } from "./examples.js";

const idParameter = (schema: unknown) => ({ name: "id", in: "path", required: true, description: "The token's id (its JWT's jti)", schema, example: TOKEN_ID });
const jsonBody = (schema: string, required = true) => ({ required, content: { "application/json": { schema: schemaRef(schema) } } });
const noContent = (description: string, headers: Record<string, unknown> = {}) => ({ description, headers });
const stringHeader = (description: string, example: string) => ({ description, required: true, schema: { type: "string", examples: [example] } });
const PUBLIC: unknown[] = [];
const BEARER_ONLY = [{ bearerAuth: [] }];

/** Every route Tokensmith answers outside the dashboard and tRPC, with every status it can return. */
export function buildPaths(tokenIdSchema: unknown): Record<string, unknown> {
  const id = idParameter(tokenIdSchema);
  return {
    "/v1alpha/token/": {
      description: "The trailing slash is part of the v1alpha contract (allowed-endpoint patterns name it); /v1alpha/token works too.",
      get: {
        operationId: "listTokens",
        tags: ["Tokens"],
        summary: "List the caller's tokens",
        responses: authenticatedResponses({ "200": json("ListTokensResponse", "The caller's tokens, keyed by id") }),
      },
      post: {
        operationId: "createToken",
        tags: ["Tokens"],
        summary: "Create a token",
        description: "A token may only create tokens within its own endpoints that do not outlive it (else 403).",
        requestBody: jsonBody("CreateTokenRequest"),
        responses: authenticatedResponses({ "201": json("CreateTokenResponse", "The new token, shown this once") }, { body: true }),
      },
    },
    "/v1alpha/token/self": {
      get: {
        operationId: "getSelf",
        tags: ["Tokens"],
        summary: "Describe the token that authenticates this request",
        description: "Needs a Bearer token: with a password there is no token to describe (400).",
        responses: authenticatedResponses({ "200": json("SelfResponse", "The token's user, id, endpoints and remaining life") }, { badRequest: true }),
      },
      delete: {
        operationId: "revokeSelf",
        tags: ["Tokens"],
        summary: "The token revokes itself",
        description: "Needs a Bearer token (else 400).",
        responses: authenticatedResponses({ "200": json("MessageResponse", "Token deleted") }, { badRequest: true }),
      },
    },
    "/v1alpha/token/{id}": {
      parameters: [id],
      get: {
        operationId: "getToken",
        tags: ["Tokens"],
        summary: "Get one of the caller's tokens",
        responses: authenticatedResponses({ "200": json("GetTokenResponse", "The token") }, { badRequest: true, notFound: true }),
      },
      patch: {
        operationId: "updateToken",
        tags: ["Tokens"],
        summary: "Give one of the caller's tokens a new description",
        description: "Audited (token.update, with the old and the new description). Only the record changes: the JWT keeps the description it was signed with. A revoked token is not found.",
        requestBody: jsonBody("UpdateTokenRequest"),
        responses: authenticatedResponses({ "200": json("UpdateTokenResponse", "The token, as GET returns it") }, { body: true, notFound: true }),
      },
      delete: {
        operationId: "revokeToken",
        tags: ["Tokens"],
        summary: "Revoke a token; it is refused from the next request on",
        description: "Tokens it created, and their own, stop too.",
        responses: authenticatedResponses({ "200": json("MessageResponse", "Token deleted") }, { badRequest: true, notFound: true }),
      },
    },
    "/v1alpha/token/{id}/rotate": {
      parameters: [id],
      post: {
        operationId: "rotateToken",
        tags: ["Tokens"],
        summary: "Replace a token with a new one (same description, endpoints and lifetime)",
        requestBody: jsonBody("RotateTokenRequest", false),
        responses: authenticatedResponses(
          {
            "201": json("RotateTokenResponse", "The new token, shown this once"),
            "409": json("ErrorResponse", "The token was already rotated: rotate its replacement"),
          },
          { body: true, notFound: true },
        ),
      },
    },
    "/v1alpha/token/{id}/usage": {
      parameters: [id],
      get: {
        operationId: "getTokenUsage",
        tags: ["Tokens"],
        summary: "Requests the token made, hour by hour and day by day",
        description: "Counted in memory and written every USAGE_FLUSH_INTERVAL (default: hourly).",
        responses: authenticatedResponses({ "200": json("UsageResponse", "Counts by outcome") }, { badRequest: true, notFound: true }),
      },
    },
    "/v1alpha/introspect": {
      post: {
        operationId: "introspectToken",
        tags: ["Verification"],
        summary: "Is this token in force? (RFC 7662)",
        description:
          "For resource servers. The caller authenticates (Basic, or a Bearer token allowed to POST /v1alpha/introspect); the token asked about goes in the body.",
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": { schema: schemaRef("IntrospectionRequest") },
            "application/json": { schema: schemaRef("IntrospectionRequest") },
          },
        },
        responses: authenticatedResponses({ "200": json("IntrospectionResponse", "`active: true` with its claims, or exactly `{\"active\": false}`") }, { body: true }),
      },
    },
    "/v1alpha/forward-auth": {
      get: {
        operationId: "forwardAuth",
        tags: ["Verification"],
        summary: "A reverse proxy asks whether a request may pass (nginx auth_request, Traefik, Caddy)",
        description:
          "Any method works. The original request's method and URI come from X-Original-Method/X-Original-URI (nginx) or X-Forwarded-Method/X-Forwarded-Uri (Traefik, Caddy); with TRUST_PROXY, the client's address (for allowlists) from X-Forwarded-For (never X-Real-IP, which a client can send through a proxy that does not overwrite it). No body, ever.",
        security: BEARER_ONLY,
        parameters: [
          { name: "X-Original-Method", in: "header", required: false, schema: { type: "string" }, example: "GET", description: "or X-Forwarded-Method" },
          { name: "X-Original-URI", in: "header", required: false, schema: { type: "string" }, example: "/api/orders/42", description: "or X-Forwarded-Uri" },
        ],
        responses: {
          "200": noContent("The token may make the original request", {
            "RateLimit-Policy": headerRef("RateLimitPolicy"),
            RateLimit: headerRef("RateLimit"),
            "X-Tokensmith-User": stringHeader("The token's user", "alice"),
            "X-Tokensmith-User-Id": stringHeader("The user's id", "5b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e"),
            "X-Tokensmith-Token-Id": stringHeader("The token's id", TOKEN_ID),
          }),
          "401": noContent("No token, or one that is forged, expired, revoked or replaced", { "WWW-Authenticate": headerRef("WwwAuthenticate") }),
          "403": noContent("The token may not make the original request (outside its endpoints or its allowlist; over its rate limit via nginx, which passes on only 401 and 403), or it cannot be judged", {
            "WWW-Authenticate": headerRef("WwwAuthenticate"),
            "X-Tokensmith-Error": stringHeader("Why", "not allowed: GET /admin"),
          }),
          "429": noContent("Over the token's rate limit (for proxies that pass the answer on: Traefik, Caddy)", {
            "Retry-After": headerRef("RetryAfter"),
            "RateLimit-Policy": headerRef("RateLimitPolicy"),
            RateLimit: headerRef("RateLimit"),
          }),
          "503": noContent("The database cannot be reached right now", { "Retry-After": headerRef("RetryAfter") }),
        },
      },
    },
    "/v1alpha/revocations": {
      get: {
        operationId: "followRevocations",
        tags: ["Verification"],
        summary: "Server-Sent Events: revoked tokens, for offline verifiers",
        description:
          "First a `snapshot` event ({revoked: [{jti, at, exp}], asOf}) or, with Last-Event-ID, only the `revoked` events after it; then a `revoked` event ({jti, at, exp}) per revocation and a `heartbeat` ({seq, now, asOf}) every second. Names token ids, never tokens.",
        security: PUBLIC,
        parameters: [{ name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" }, example: "1042", description: "Resume after this event" }],
        responses: publicResponses({
          "200": { description: "The event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
          "503": json("ErrorResponse", "Too many followers right now", { "Retry-After": headerRef("RetryAfter") }),
        }),
      },
    },
    "/v1alpha/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["Documentation"],
        summary: "This document",
        security: PUBLIC,
        responses: publicResponses({ "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } }),
      },
    },
    "/.well-known/jwks.json": {
      get: {
        operationId: "getJwks",
        tags: ["Verification"],
        summary: "The public keys that verify tokens (RFC 7517)",
        security: PUBLIC,
        responses: publicResponses({ "200": { description: "The key set", content: { "application/jwk-set+json": { schema: schemaRef("JwkSet") } } } }),
      },
    },
    "/.well-known/oauth-authorization-server": {
      get: {
        operationId: "getServerMetadata",
        tags: ["Verification"],
        summary: "Where the key set and introspection are (RFC 8414)",
        security: PUBLIC,
        responses: publicResponses({ "200": json("AuthorizationServerMetadata", "The metadata") }),
      },
    },
  };
}
