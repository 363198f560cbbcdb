import { authenticatedResponses, headerRef, json, publicResponses, schemaRef } from "./responses.js";
import { TOKEN_ID } from "./examples.js";
import { MAX_PAUSES_PER_TOKEN } from "../../routers/token/pause.handler.js";

const idParameter = (schema: unknown) => ({ name: "id", in: "path", required: true, description: "The token's id (its JWT's jti)", schema, example: TOKEN_ID });
const jsonBody = (schema: string, required = true) => ({ required, content: { "application/json": { schema: schemaRef(schema) } } });
const noContent = (description: string, headers: Record<string, unknown> = {}) => ({ description, headers });
const stringHeader = (description: string, example: string) => ({ description, required: true, schema: { type: "string", examples: [example] } });
const PUBLIC: unknown[] = [];
const BEARER_ONLY = [{ bearerAuth: [] }];
const PER_USER_LIMIT =
  "A user holding MAX_TOKENS_PER_USER unexpired tokens (10,000 by default; revoked ones count until they expire, since the revocation feed names them until then) gets 403 until some expire.";

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
        description: `A token may only create tokens within its own endpoints that do not outlive it (else 403). A use-limited token (jwt_token_max_uses) may only create use-limited tokens, and their uses are taken from its own uses left (else 403). ${PER_USER_LIMIT}`,
        requestBody: jsonBody("CreateTokenRequest"),
        responses: authenticatedResponses({ "201": json("CreateTokenResponse", "The new token, shown this once") }, { body: true }),
      },
    },
    "/v1alpha/token/self": {
      get: {
        operationId: "getSelf",
        tags: ["Tokens"],
        summary: "Describe the token that authenticates this request",
        description: "Needs a Bearer token: with a password there is no token to describe (400). Reading it is a use: a use-limited token's `uses_remaining` counts this request.",
        responses: authenticatedResponses({ "200": json("SelfResponse", "The token's user, id, endpoints and remaining life") }, { badRequest: true }),
      },
      delete: {
        operationId: "revokeSelf",
        tags: ["Tokens"],
        summary: "The token revokes itself",
        description: "Needs a Bearer token (else 400).",
        responses: authenticatedResponses({ "200": json("MessageResponse", "Token deleted") }, { badRequest: true, write: true }),
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
        responses: authenticatedResponses({ "200": json("MessageResponse", "Token deleted") }, { badRequest: true, notFound: true, write: true }),
      },
    },
    "/v1alpha/token/{id}/rotate": {
      parameters: [id],
      post: {
        operationId: "rotateToken",
        tags: ["Tokens"],
        summary: "Replace a token with a new one (same description, endpoints and lifetime)",
        description: `The old token stays unexpired (and on the revocation feed) until it expires: ${PER_USER_LIMIT} A use-limited token cannot be rotated, nor rotate another (403): the replacement would refill its uses.`,
        requestBody: jsonBody("RotateTokenRequest", false),
        responses: authenticatedResponses(
          {
            "201": json("RotateTokenResponse", "The new token, shown this once"),
            "409": json("ErrorResponse", "The token was already rotated (rotate its replacement), or is paused (resume it first)"),
          },
          { body: true, notFound: true },
        ),
      },
    },
    "/v1alpha/token/{id}/pause": {
      parameters: [id],
      post: {
        operationId: "pauseToken",
        tags: ["Tokens"],
        summary: "Pause a token: refused everywhere until resumed, without being revoked",
        description:
          `Refused from the next request on, at every check (REST, forward auth, introspection: active false), and for offline verifiers through the revocation feed, which gets an entry (as for a revoke) and another at the resume. Tokens it created, and their own, are paused with it and come back with it. Audited (token.pause) and sent to webhooks (token.paused). A token may be paused ${MAX_PAUSES_PER_TOKEN} times in all (429 after that: rotate it).`,
        responses: authenticatedResponses(
          {
            "200": json("PauseTokenResponse", "The token, as GET returns it, with paused_at set"),
            "409": json("ErrorResponse", "The token is already paused"),
          },
          { badRequest: true, notFound: true, write: true },
        ),
      },
    },
    "/v1alpha/token/{id}/resume": {
      parameters: [id],
      post: {
        operationId: "resumeToken",
        tags: ["Tokens"],
        summary: "Resume a paused token: it works again, with the tokens its pause took along",
        description:
          "Audited (token.resume) and sent to webhooks (token.resumed); the revocation feed gets an entry saying so. A revoked or expired token is not found. A token paused with the token that created it comes back with that one (409 here).",
        responses: authenticatedResponses(
          {
            "200": json("PauseTokenResponse", "The token, as GET returns it, with paused_at null"),
            "409": json("ErrorResponse", "The token is not paused, or was paused with the token that created it"),
          },
          { badRequest: true, notFound: true, write: true },
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
    "/v1alpha/forward-auth": {
      get: {
        operationId: "forwardAuth",
        tags: ["Verification"],
        summary: "A reverse proxy asks whether a request may pass (nginx auth_request, Traefik, Caddy)",
        description:
          "Any method works. The original request's method and URI come from X-Original-Method/X-Original-URI (nginx) or X-Forwarded-Method/X-Forwarded-Uri (Traefik, Caddy): FORWARD_AUTH_HEADERS says which set must be there (`original`, `forwarded`, or `auto`, the default: whichever came). A proxy passes a client's own headers on, so a request carrying both sets that name different requests, or any of the four headers (or Authorization) twice, is refused (403, the reason in X-Tokensmith-Error), whatever the setting. The path is judged as the server behind will route it: the query is dropped and escapes decoded once, and a path servers read differently is refused (403): a `.` or `..` segment (`%2e` too), an empty segment (`//`), `;` (path parameters, `..;`), `%2F`, a backslash, control characters, a raw `#` or non-ASCII byte, an escape decoded to another escape (`%252e`), or a character whose Unicode compatibility form is one of these. With TRUST_PROXY, the client's address (for allowlists) comes from X-Forwarded-For (never X-Real-IP, which a client can send through a proxy that does not overwrite it). No body, ever.",
        security: BEARER_ONLY,
        parameters: [
          {
            name: "audience",
            in: "query",
            required: false,
            schema: { type: "array", items: { type: "string" } },
            explode: true,
            description:
              "Set in the proxy's configuration (the forward-auth URL it calls), never by a client: only a token whose `aud` names this audience (an absolute URI or urn:) passes; repeated, any one of them. A value that is not an audience is a 403",
          },
          {
            name: "origin",
            in: "query",
            required: false,
            schema: { type: "string", format: "uri" },
            example: "https://api.example.com",
            description:
              "Set in the proxy's configuration, never by a client: the API's origin (scheme://host[:port]) a DPoP proof's htu must name. Without it, the host the client addressed (X-Forwarded-Proto/-Host with TRUST_PROXY), which a server answering any Host lets the client choose. Anything but one http(s) origin is a 403",
          },
          { name: "X-Original-Method", in: "header", required: false, schema: { type: "string" }, example: "GET", description: "Set by nginx; or X-Forwarded-Method" },
          { name: "X-Original-URI", in: "header", required: false, schema: { type: "string" }, example: "/api/orders/42", description: "Set by nginx ($request_uri); or X-Forwarded-Uri" },
          { name: "X-Forwarded-Method", in: "header", required: false, schema: { type: "string" }, example: "GET", description: "Set by Traefik and Caddy; must equal X-Original-Method when both are sent" },
          { name: "X-Forwarded-Uri", in: "header", required: false, schema: { type: "string" }, example: "/api/orders/42", description: "Set by Traefik and Caddy; must equal X-Original-URI when both are sent" },
        ],
        responses: {
          "200": noContent("The token may make the original request", {
            "RateLimit-Policy": headerRef("RateLimitPolicy"),
            RateLimit: headerRef("RateLimit"),
            "X-Tokensmith-User": stringHeader("The token's user", "alice"),
            "X-Tokensmith-User-Id": stringHeader("The user's id", "5b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e"),
            "X-Tokensmith-Account-Type": stringHeader('"person", or "service" for a service account\'s token', "person"),
            "X-Tokensmith-Token-Id": stringHeader("The token's id", TOKEN_ID),
            "X-Tokensmith-Uses-Remaining": { description: "Use-limited tokens only: uses left after this check, which spent one", required: false, schema: { type: "string", examples: ["41"] } },
          }),
          "401": noContent("No token, or one that is forged, expired, revoked or replaced, a use-limited token with no uses left, or one that does not name the `audience` asked for (then with X-Tokensmith-Error)", {
            "WWW-Authenticate": headerRef("WwwAuthenticate"),
            "X-Tokensmith-Error": { ...stringHeader("Why, for a token not meant for the `audience` asked for", "the token is not meant for this audience"), required: false },
          }),
          "403": noContent("The token may not make the original request (outside its endpoints or its allowlist; over its rate limit via nginx, which passes on only 401 and 403), or it cannot be judged (no original request, two header sets that disagree, a path servers read differently, an `audience` parameter that is not an audience)", {
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
        summary: "Server-Sent Events: revoked tokens, for offline verifiers holding a feed key",
        description: [
          "For `@tokensmith/verify` and other offline verifiers. It names every user's revoked token ids, so it needs a feed key, one of the server's `REVOCATION_FEED_KEYS`, as `Authorization: Bearer <key>`; user credentials do not open it (401).",
          "",
          "First every revoked-but-unexpired token as a `revoked` event (`id`: its sequence number; data `{jti, at, exp}`, epoch ms; `at` may lie ahead, the end of a rotation's overlap), oldest first — or, with `Last-Event-ID`, only those after that id. With `?batch=1` they come up to 500 at a time as `revoked-batch` events (data: an array of them; `id`: the last one's), which is far less to parse. Then a `snapshot` event (`{revoked: [], asOf}`, `id`: the position reached) saying the follower is current; then a `revoked` event per revocation as it happens. A `heartbeat` (`{seq, now, asOf}`) follows whenever the follower is current, and every second: everything up to `seq` has been sent, this instance's copy was complete at `asOf`, and `now` is the server's clock (compare `at` with it, not with your own).",
          "",
          "Events are written as fast as the follower reads, however many there are; one that reads nothing for 30 s once its socket is full is dropped (it resumes with `Last-Event-ID`). At most `REVOCATION_FEED_FOLLOWERS_PER_ADDRESS` followers (50) per client address (IPv6: per /64) and `REVOCATION_FEED_MAX_FOLLOWERS` (1,000) in all, per server process.",
        ].join("\n"),
        security: [{ feedKey: [] }],
        parameters: [
          { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string" }, example: "1042", description: "Resume after this event (an `id` of this feed; any other starts from the beginning)" },
          { name: "batch", in: "query", required: false, schema: { type: "string", enum: ["1"] }, example: "1", description: "Entries in `revoked-batch` events of up to 500, instead of one `revoked` event each" },
        ],
        responses: publicResponses({
          "200": { description: "The event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
          "401": json("ErrorResponse", "No feed key, a key that is not one of REVOCATION_FEED_KEYS, or none configured (the message says which)", {
            "WWW-Authenticate": headerRef("WwwAuthenticate"),
          }),
          "429": json("ErrorResponse", "This client address holds its share of followers already", { "Retry-After": headerRef("RetryAfter") }),
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
  };
}
