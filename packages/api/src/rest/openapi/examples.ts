/**
 * A realistic example for every field the OpenAPI document describes, by field name (or
 * "Schema.field" where one name means different things), so generated examples read like a real
 * exchange — one user (alice), one token — instead of a generator's guesses (`-9007199254740991`,
 * `[""]`, `"string"`). Applied to each property that has no example of its own; a test checks that
 * every field is covered and that every example is valid for its schema.
 */
export const TOKEN_ID = "2c0f5e8a-6a43-4b8e-9d3e-7f1a2b3c4d5e";
const OTHER_TOKEN_ID = "8d1e4f20-3b5a-4c7d-a9e8-1f2b3c4d5e6f";
const USER_ID = "5b7c9d1e-2f3a-4b5c-8d6e-7f8a9b0c1d2e";
export const WEBHOOK_ID = "0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b";
export const DELIVERY_ID = "6f5e4d3c-2b1a-4f0e-8d9c-7b6a5f4e3d2c";
const EVENT_ID = "msg_3f2e1d0c-9b8a-4765-8432-10fedcba9876";
const CREATED = "2026-12-06T09:00:00.000Z";
const EXPIRES = "2027-01-05T09:00:00.000Z";
const JWT = "eyJhbGciOiJFUzI1NiIsImtpZCI6InRoNVlDMnBfIiwidHlwIjoiSldUIn0.eyJzdWIiOiI1YjdjOWQxZSIsImp0aSI6IjJjMGY1ZThhIn0.c2lnbmF0dXJl";
const ENDPOINTS = ["GET /v1alpha/token/*", "GET /api/orders/*"];
const ALLOWED_IPS = ["203.0.113.0/24", "2001:db8::/32"];

const LISTED = {
  jwt_token_description: "CI deploys (prod)",
  jwt_token_life: 2_592_000,
  jwt_token_remaining_life: 2_591_400.5,
  expiry_status: "Valid",
  jwt_token_endpoints: ENDPOINTS,
  jwt_token_rate_limit: { requests: 100, per_seconds: 60 },
  jwt_token_allowed_ips: ALLOWED_IPS,
  last_used_at: "2026-12-06T09:10:00.000Z",
  last_used_ip: "203.0.113.7",
  created_by_token_id: null,
  paused_at: null,
  jwt_token_max_uses: null,
  uses_remaining: null,
  jwt_token_audience: null,
  jwt_token_dpop_jkt: null,
};

const BY_FIELD: Record<string, unknown> = {
  jwt_token_id: TOKEN_ID,
  jwt_token: JWT,
  jwt_token_description: "CI deploys (prod)",
  jwt_token_life: 2_592_000,
  jwt_token_life_remaining: 2_591_400.5,
  jwt_token_remaining_life: 2_591_400.5,
  jwt_token_endpoints: ENDPOINTS,
  jwt_token_allowed_ips: ALLOWED_IPS,
  jwt_token_rate_limit: { requests: 100, per_seconds: 60 },
  "CreateTokenRequest.jwt_token_rate_limit": { requests: 100, per: "1 minute" },
  "RotateTokenRequest.jwt_token_rate_limit": { requests: 100, per: "1 minute" },
  jwt_tokens: { [TOKEN_ID]: LISTED },
  requests: 100,
  per: "1 minute",
  per_seconds: 60,
  created_at: CREATED,
  expires_at: EXPIRES,
  last_used_at: "2026-12-06T09:10:00.000Z",
  last_used_ip: "203.0.113.7",
  created_by_token_id: null,
  paused_at: null,
  "PauseTokenResponse.paused_at": "2026-12-06T09:20:00.000Z",
  "PauseTokenResponse.message": "Token paused",
  rotated_from: OTHER_TOKEN_ID,
  old_token_expires_at: "2026-12-06T09:10:00.000Z",
  username: "alice",
  user_id: USER_ID,
  message: "Token does not exist",
  "MessageResponse.message": "Token deleted",
  "BadRequestResponse.message": 'jwt_token_life: Invalid lifetime "forever"',
  "BadRequestResponse.errors": [{ field: "jwt_token_life", message: 'Invalid lifetime "forever". Accepted units: s, m, h, d, w, mo, y' }],
  field: "jwt_token_life",
  "errors[].message": 'Invalid lifetime "forever". Accepted units: s, m, h, d, w, mo, y',
  start: "2026-12-06T09:00:00.000Z",
  allowed: 42,
  unauthorized: 1,
  forbidden: 0,
  rate_limited: 0,
  // Introspection, the key set, server metadata.
  token: JWT,
  client_ip: "203.0.113.7",
  sub: USER_ID,
  jti: TOKEN_ID,
  iat: 1_796_547_600,
  exp: 1_799_139_600,
  iss: "https://tokens.example.com",
  kid: "th5YC2p_4Qv6PqkGm3Wd9zJxRrT1uLsA8nE0bHcVfIo",
  x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
  y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
  issuer: "https://tokens.example.com",
  jwks_uri: "https://tokens.example.com/.well-known/jwks.json",
  introspection_endpoint: "https://tokens.example.com/v1alpha/introspect",
  introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
  token_endpoint_auth_signing_alg_values_supported: ["ES256", "EdDSA"],
  service_documentation: "https://tokens.example.com/docs",
  // Webhooks.
  url: "https://hooks.example.com/tokensmith",
  "Webhook.id": WEBHOOK_ID,
  "CreateWebhookResponse.id": WEBHOOK_ID,
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6s3fT5GJtfs=",
  id: DELIVERY_ID,
  delivery_id: DELIVERY_ID,
  event_id: EVENT_ID,
  event_type: "token.revoked",
  attempts: 2,
  attempt: 2,
  at: "2026-12-06T09:00:35.000Z",
  next_attempt_at: null,
  status_code: 503,
  error: "answered 503",
  duration_ms: 182,
  response_body: '{"error":"maintenance, back at 10:00"}',
  headers: { "content-type": "application/json", "webhook-id": EVENT_ID, "user-agent": "Tokensmith-Webhooks/1" },
  body: `{"type":"token.revoked","timestamp":"${CREATED}","data":{"token_id":"${TOKEN_ID}","username":"alice"}}`,
  body_truncated: false,
  timestamp: CREATED,
  token_id: TOKEN_ID,
  description: "CI deploys (prod)",
  // Use-limited tokens, audiences, the RFC 9068 profile.
  jwt_token_max_uses: 100,
  uses_remaining: 58,
  jwt_token_audience: ["https://api.example.com"],
  // DPoP-bound tokens (RFC 9449).
  jwt_token_dpop_jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
  cnf: { jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" },
  jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
  aud: "https://api.example.com",
  client_id: TOKEN_ID,
  // OAuth clients: introspection and revocation (RFC 7662, RFC 7009), leak reports.
  "IntrospectionRequest.client_id": "svc-orders",
  "OAuthRevocationRequest.client_id": "svc-orders",
  client_secret: "a+b:c%d é",
  token_type_hint: "access_token",
  credentials: [JWT],
  revocation_endpoint: "https://tokens.example.com/v1alpha/revoke",
  response_types_supported: [],
  grant_types_supported: [],
  // Token policies.
  account: "ci-bot",
  lines: ["Tokens live at most 30 days", "Tokens must name their endpoints"],
  maxLifeSeconds: 2_592_000,
  requireEndpoints: true,
  requireAllowedIps: false,
  perSeconds: 60,
  allowRotationOverlap: true,
  expiresAt: EXPIRES,
  breaches: ["lifetime over 30 days"],
  nextCursor: TOKEN_ID,
};

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema };

const hasExample = (schema: Schema) => "example" in schema || "examples" in schema || "const" in schema || "enum" in schema;

/** The example for `field` of schema `owner`, if one is written above. */
function exampleFor(owner: string, field: string, path: string): { value: unknown } | null {
  for (const key of [`${owner}.${field}`, `${path}.${field}`, field]) if (key in BY_FIELD) return { value: BY_FIELD[key] };
  return null;
}

/** Adds examples to every property of `schema` (and of the objects inside it) that has none. */
function decorate(schema: Schema, owner: string, path: string): void {
  for (const [field, property] of Object.entries(schema.properties ?? {})) {
    // A description meant for the field sits on the field, not inside its "anyOf" (nullable fields).
    if (!hasExample(property) && !("$ref" in property)) {
      const found = exampleFor(owner, field, path);
      if (found) property.example = found.value;
    }
    decorate(property, owner, field);
  }
  for (const variant of (schema.anyOf as Schema[] | undefined) ?? []) decorate(variant, owner, path);
  if (schema.items) decorate(schema.items, owner, `${path}[]`);
}

/** Every component schema, with an example on each of its fields. */
export function withExamples(schemas: Record<string, unknown>): Record<string, unknown> {
  for (const [id, schema] of Object.entries(schemas)) decorate(schema as Schema, id, id);
  return schemas;
}
