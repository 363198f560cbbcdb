import { authenticatedResponses, headerRef, json, publicResponses, schemaRef } from "./responses.js";

const formOrJson = (schema: string) => ({
  required: true,
  content: { "application/x-www-form-urlencoded": { schema: schemaRef(schema) }, "application/json": { schema: schemaRef(schema) } },
});

/** Basic (client_secret_basic), or Bearer: our own extension. client_secret_post (body fields) has no OpenAPI scheme: see the request schema. */
const CLIENT_AUTH = [{ basicAuth: [] }, { bearerAuth: [] }];
const CLIENT_AUTH_TEXT =
  "The client authenticates as a Tokensmith user: its name is the client id and its password the secret, in HTTP Basic with both form-encoded first as RFC 6749 §2.3.1 has it (`client_secret_basic`; a secret sent unencoded, as `curl -u` does, works too), or as `client_id` and `client_secret` in the form (`client_secret_post`) — one way per request (else 400 `invalid_request`). Refused or missing client credentials: 401 with `\"error\": \"invalid_client\"` and a Basic challenge. Each request is one password guess against the sign-in limits, however its secret was encoded, and a right one is given back. A Bearer token allowed this endpoint works too: Tokensmith's own extension, not advertised in the server metadata.";

const metadata = (operationId: string, summary: string) => ({
  get: {
    operationId,
    tags: ["Verification"],
    summary,
    description:
      "RFC 8414 metadata, the same at both paths: the issuer, its key set, the introspection and revocation endpoints and the client authentication they take. No grant is served (tokens are made through this API), so there is no authorization or token endpoint; and nothing of OpenID Connect (no ID tokens).",
    security: [],
    responses: publicResponses({ "200": json("AuthorizationServerMetadata", "The metadata") }),
  },
});

/** Introspection, revocation (RFC 7662, RFC 7009), the leaked-token report, and the metadata that names them. */
export function buildOAuthPaths(): Record<string, unknown> {
  return {
    "/v1alpha/introspect": {
      post: {
        operationId: "introspectToken",
        tags: ["Verification"],
        summary: "Is this token in force? (RFC 7662)",
        description: `For resource servers. ${CLIENT_AUTH_TEXT} The token asked about goes in the body, form-encoded (RFC 7662) or as JSON. A caller learns about its own user's tokens only: another user's token is \`{"active": false}\`, as an unknown one is — unless the caller is an administrator, or a user an administrator let introspect any token (\`tokensmith user introspect NAME any\`, tRPC \`user.setIntrospection\`, or the dashboard's Users page). Only such a caller's \`client_ip\` is recorded as where the token was last used.`,
        security: CLIENT_AUTH,
        requestBody: formOrJson("IntrospectionRequest"),
        responses: authenticatedResponses({ "200": json("IntrospectionResponse", '`active: true` with its claims, or exactly `{"active": false}`') }, { body: true }),
      },
    },
    "/v1alpha/revoke": {
      post: {
        operationId: "revokeTokenByValue",
        tags: ["Verification"],
        summary: "Revoke a token by its value (RFC 7009)",
        description: `${CLIENT_AUTH_TEXT} A client revokes its own user's tokens; an administrator any user's. The token, and every token created from it, stops at once. Anything else — an unknown, expired or already revoked token, or another user's — is answered the same 200 and left alone, so the answer tells nothing about a token. \`token_type_hint\` is accepted and ignored: every Tokensmith token is an access token.`,
        security: CLIENT_AUTH,
        requestBody: formOrJson("OAuthRevocationRequest"),
        responses: authenticatedResponses({ "200": json("EmptyResponse", "Done, or nothing to do: the same answer either way") }, { body: true }),
      },
    },
    "/v1alpha/credentials/revoke": {
      post: {
        operationId: "reportLeakedTokens",
        tags: ["Verification"],
        summary: "Report leaked tokens: each real one is revoked (no account needed)",
        description:
          "For anyone who finds a Tokensmith token where it should not be (a public repository, a log, a paste): holding the token is the proof, so no credentials are needed. Up to 1,000 tokens per request. Each one that is a genuine token of this server (its signature verifies, and it is in force) is revoked with its lineage, with the reason `leaked`: its owner sees it in the audit log and on the token's page, and their webhooks get `token.revoked` with `\"reason\": \"leaked\"`. Anything else — a token id, a forged or altered token, text — does nothing. The answer is the same whatever was sent (status, body, and no sooner than 1 s), so it tells nobody whether a string was a live token. 10 reports per minute per address (IPv6: per /64).",
        security: [],
        requestBody: { required: true, content: { "application/json": { schema: schemaRef("LeakReportRequest") } } },
        responses: {
          "200": json("LeakReportResponse", "The same answer whatever the report held"),
          "400": json("BadRequestResponse", "Not a JSON object with 1 to 1,000 non-empty strings in `credentials`"),
          "403": json("ErrorResponse", "A write a page on another site sent"),
          "405": json("ErrorResponse", "Use POST", { Allow: headerRef("Allow") }),
          "413": json("ErrorResponse", "The body is larger than 1 MiB"),
          "415": json("ErrorResponse", "The body is not `application/json`", { Accept: headerRef("Accept") }),
          "429": json("ErrorResponse", "More than 10 reports this minute from this address", { "Retry-After": headerRef("RetryAfter") }),
          "503": json("ErrorResponse", "The database cannot be reached right now", { "Retry-After": headerRef("RetryAfter") }),
        },
      },
    },
    "/.well-known/oauth-authorization-server": metadata("getServerMetadata", "Where the key set, introspection and revocation are (RFC 8414)"),
    "/.well-known/openid-configuration": metadata("getServerMetadataOidcPath", "The same metadata at the path OAuth libraries fetch by default"),
  };
}
