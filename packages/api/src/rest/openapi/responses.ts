/**
 * The responses many routes share, as OpenAPI components: each names the headers the server
 * really sends with it (Allow, Retry-After, WWW-Authenticate), so generated clients can rely on them.
 */
export const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const responseRef = (id: string) => ({ $ref: `#/components/responses/${id}` });
const headerRef = (id: string) => ({ $ref: `#/components/headers/${id}` });

export const json = (schema: string, description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: schemaRef(schema) } },
});

export const headers = {
  Allow: { description: "The methods this path takes", required: true, schema: { type: "string", examples: ["GET, HEAD, POST"] } },
  RetryAfter: { description: "Seconds to wait before trying again", required: true, schema: { type: "string", pattern: "^[0-9]+$", examples: ["30"] } },
  RateLimitPolicy: {
    description: 'The token\'s own rate limit, e.g. `"token";q=100;w=60` (draft-ietf-httpapi-ratelimit-headers); only for tokens with one',
    required: false,
    schema: { type: "string", examples: ['"token";q=100;w=60'] },
  },
  RateLimit: {
    description: 'What is left of it in this window and when that resets, e.g. `"token";r=42;t=17`',
    required: false,
    schema: { type: "string", examples: ['"token";r=42;t=17'] },
  },
  InsufficientScope: {
    description: 'For a token outside its allowed endpoints: `Bearer realm="tokensmith", error="insufficient_scope"`',
    required: false,
    schema: { type: "string" },
  },
  Accept: { description: "The media types this route reads", required: true, schema: { type: "string", examples: ["application/json"] } },
  WwwAuthenticate: {
    description:
      'The scheme to use: `Basic realm="tokensmith", charset="UTF-8"` when a password (or an OAuth client\'s secret) was refused, and at introspection and revocation when no credentials came; otherwise RFC 6750\'s `Bearer realm="tokensmith"`, with `error="invalid_token"` when a token was sent and refused, or `error="insufficient_scope"` on a 403. A DPoP-bound token refused (no proof, a proof refused, sent as Bearer), or the DPoP scheme with an unbound token: RFC 9449 §7.1\'s `DPoP algs="ES256 ES384 EdDSA Ed25519 PS256 RS256", error="invalid_dpop_proof"` (or `error="invalid_token"`), with an `error_description`',
    required: true,
    schema: { type: "string", examples: ['Bearer realm="tokensmith", error="invalid_token"'] },
  },
};

export const responses = {
  BadRequest: json("BadRequestResponse", "Invalid input: `errors` names each field that is wrong"),
  Unauthorized: json("ErrorResponse", 'No credentials, or credentials that are wrong, expired or revoked, or a use-limited token with no uses left (introspection and revocation add `"error": "invalid_client"` for client credentials)', {
    "WWW-Authenticate": headerRef("WwwAuthenticate"),
  }),
  Forbidden: json("ErrorResponse", "Outside the token's allowed endpoints, from outside its allowlist, a token asking for more than it has, a user at MAX_TOKENS_PER_USER, or a write a page on another site sent (an `Origin` or `Sec-Fetch-Site` not of this server)", {
    "WWW-Authenticate": headerRef("InsufficientScope"),
  }),
  NotFound: json("ErrorResponse", "No such token for this caller (another user's token is also not found)"),
  MethodNotAllowed: json("ErrorResponse", "This path does not take that method (HEAD works wherever GET does)", { Allow: headerRef("Allow") }),
  PayloadTooLarge: json("ErrorResponse", "The body is larger than 64 KiB"),
  UnsupportedMediaType: json("ErrorResponse", "A write whose body is not `application/json` (introspection and revocation: or `application/x-www-form-urlencoded`), or not UTF-8, or a body without a Content-Type", {
    Accept: headerRef("Accept"),
  }),
  TooManyRequests: json("ErrorResponse", "Too many wrong passwords for this account or from this address, or the token is over its own rate limit", {
    "Retry-After": headerRef("RetryAfter"),
    "RateLimit-Policy": headerRef("RateLimitPolicy"),
    RateLimit: headerRef("RateLimit"),
  }),
  Unavailable: json("ErrorResponse", "The database cannot be reached right now", { "Retry-After": headerRef("RetryAfter") }),
};

type ResponseName = keyof typeof responses;

/** What every route that authenticates its caller can answer besides its own statuses. */
const AUTHENTICATED: Record<string, ResponseName> = {
  "401": "Unauthorized",
  "403": "Forbidden",
  "405": "MethodNotAllowed",
  "429": "TooManyRequests",
  "503": "Unavailable",
};

/**
 * An authenticated operation's responses: its own, plus 401/403/405/429/503, plus 400 when it
 * reads an id or a body, 404 when it names a token, 413 when it reads a body, 415 when it writes.
 */
export function authenticatedResponses(
  own: Record<string, unknown>,
  { badRequest = false, notFound = false, body = false, write = body }: { badRequest?: boolean; notFound?: boolean; body?: boolean; write?: boolean } = {},
): Record<string, unknown> {
  const shared: Record<string, ResponseName> = { ...AUTHENTICATED };
  if (badRequest || body) shared["400"] = "BadRequest";
  if (notFound) shared["404"] = "NotFound";
  if (body) shared["413"] = "PayloadTooLarge";
  if (write) shared["415"] = "UnsupportedMediaType";
  const all: Record<string, unknown> = { ...own };
  for (const [status, name] of Object.entries(shared)) all[status] ??= responseRef(name);
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
}

/** A public route's responses: its own and 405. */
export const publicResponses = (own: Record<string, unknown>) => ({ ...own, "405": responseRef("MethodNotAllowed") });

export { headerRef };
