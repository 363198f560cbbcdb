import { z } from "zod";
import { tokenAllowedIps, tokenAudience, tokenDescription, tokenDpopJkt, tokenEndpoints, tokenId, tokenLifetime, tokenMaxUses, tokenRateLimit } from "../routers/token/token.schema.js";

/** v1alpha wire shapes. Field names are a contract existing clients parse: keep them byte for byte. */
export const createTokenRequest = z
  .object({
    jwt_token_description: tokenDescription,
    jwt_token_life: tokenLifetime,
    jwt_token_endpoints: tokenEndpoints.optional(),
    jwt_token_rate_limit: tokenRateLimit.nullable().optional(),
    jwt_token_allowed_ips: tokenAllowedIps.nullable().optional(),
    jwt_token_max_uses: tokenMaxUses.optional(),
    jwt_token_audience: tokenAudience.nullable().optional(),
    jwt_token_dpop_jkt: tokenDpopJkt.optional(),
  })
  .meta({ id: "CreateTokenRequest" });

export const rotateTokenRequest = z
  .object({
    overlap: tokenLifetime
      .optional()
      .meta({ description: 'How long the old token keeps working, e.g. "10 minutes"; default: it stops at once' }),
    jwt_token_rate_limit: tokenRateLimit.nullable().optional().meta({ description: "A new rate limit for the replacement (null: none); omit to keep the old token's" }),
    jwt_token_allowed_ips: tokenAllowedIps.nullable().optional().meta({ description: "A new allowlist for the replacement (null: any address); omit to keep the old token's" }),
    jwt_token_audience: tokenAudience
      .nullable()
      .optional()
      .meta({ description: "New audiences for the replacement (null: DEFAULT_AUDIENCE, or none); omit to keep the old token's" }),
    jwt_token_dpop_jkt: tokenDpopJkt
      .optional()
      .meta({ description: "Binds the replacement to this key (DPoP, RFC 9449); omit to keep the old token's binding, or to bind to a DPoP proof sent with the request" }),
  })
  .meta({ id: "RotateTokenRequest" });

export const updateTokenRequest = z
  .object({ jwt_token_description: tokenDescription })
  .meta({ id: "UpdateTokenRequest", description: "The token's new description (the JWT keeps the one it was signed with)" });

const endpointsOut = z
  .array(z.string())
  .nullable()
  .meta({ description: 'Allowed "METHOD /path" patterns; null: every endpoint' });
export const rateLimitOut = z
  .object({
    requests: z.int().min(1),
    per_seconds: z.int().min(1).meta({ description: "The window, in seconds" }),
  })
  .nullable()
  .meta({ id: "RateLimit", description: "At most `requests` requests per window of `per_seconds`; null: no limit" });
const allowedIpsOut = z.array(z.string()).nullable().meta({ description: "Addresses and CIDR ranges it may be used from; null: any" });
const audienceOut = z.array(z.string()).nullable().meta({ description: "The audiences signed into it as `aud`; null: none" });
const usesOut = (description: string) => z.int().min(0).nullable().meta({ description });
const limitsOut = {
  jwt_token_rate_limit: rateLimitOut,
  jwt_token_allowed_ips: allowedIpsOut,
  jwt_token_max_uses: usesOut("Allowed uses in all; null: no limit"),
  uses_remaining: usesOut("Allowed uses left (0: it is refused from now on); null: no limit"),
  jwt_token_audience: audienceOut,
  jwt_token_dpop_jkt: z
    .string()
    .nullable()
    .meta({ description: "The DPoP key thumbprint (RFC 7638) it is bound to, signed as `cnf.jkt`: every use needs a DPoP proof by that key; null: a plain Bearer token" }),
};

const createdBy = {
  created_by_token_id: z
    .string()
    .nullable()
    .meta({ description: "The token whose request created this one; it stops working when that one does. null: created with a password" }),
};
const paused = {
  paused_at: z.iso
    .datetime()
    .nullable()
    .meta({ description: "While the token is paused: since when (it is refused everywhere until resumed). null: not paused" }),
};
const lastUsed = {
  last_used_at: z.iso.datetime().nullable().meta({ description: "When the token was last used (updated at most once a minute)" }),
  last_used_ip: z.string().nullable().meta({ description: "From where" }),
};

export const tokenIdParam = tokenId;

const seconds = (description: string) => z.number().min(0).meta({ description });
const isoDate = (description: string) => z.iso.datetime().meta({ description });

export const createTokenResponse = z
  .object({
    message: z.literal("Token generated"),
    jwt_token_id: tokenId,
    jwt_token: z.string().meta({ description: "The signed JWT. Shown only here, never again." }),
    jwt_token_description: z.string(),
    jwt_token_life: z.int().meta({ description: "Lifetime in seconds" }),
    jwt_token_endpoints: endpointsOut,
    ...limitsOut,
    created_at: isoDate("When the token was issued"),
    expires_at: isoDate("When the token expires"),
  })
  .meta({ id: "CreateTokenResponse" });

export const rotateTokenResponse = createTokenResponse
  .extend({
    message: z.literal("Token rotated"),
    rotated_from: tokenId,
    old_token_expires_at: isoDate("When the old token stops working (now, unless an overlap was asked for)"),
  })
  .meta({ id: "RotateTokenResponse" });

export const selfResponse = z
  .object({
    message: z.literal("Token is valid"),
    username: z.string(),
    user_id: z.string(),
    jwt_token_id: tokenId,
    jwt_token_endpoints: endpointsOut,
    ...limitsOut,
    jwt_token_life_remaining: seconds("Seconds left"),
    expires_at: isoDate("When the token expires"),
  })
  .meta({ id: "SelfResponse" });

/** Lean on purpose: a user may list 10,000 of these; GET /v1alpha/token/{id} has the dates. */
export const listedToken = z
  .object({
    jwt_token_description: z.string(),
    jwt_token_life: z.int().meta({ description: "Lifetime in seconds" }),
    jwt_token_remaining_life: seconds("Seconds left (0 once expired)"),
    expiry_status: z.enum(["Valid", "Expired"]),
    jwt_token_endpoints: endpointsOut,
    ...limitsOut,
    ...lastUsed,
    ...createdBy,
    ...paused,
  })
  .meta({ id: "ListedToken" });

export const listTokensResponse = z
  .object({
    message: z.literal("Tokens exists"),
    jwt_tokens: z.record(z.string(), listedToken).meta({ description: "The caller's tokens keyed by token id" }),
  })
  .meta({ id: "ListTokensResponse" });

export const getTokenResponse = z
  .object({
    message: z.literal("Tokens exists"),
    jwt_token_id: tokenId,
    jwt_token_description: z.string(),
    jwt_token_life: z.int().meta({ description: "Lifetime in seconds" }),
    // Spelled differently from the list's jwt_token_remaining_life: that is the v1alpha contract.
    jwt_token_life_remaining: seconds("Seconds left (0 once expired)"),
    expiry_status: z.enum(["Valid", "Expired"]),
    jwt_token_endpoints: endpointsOut,
    ...limitsOut,
    ...lastUsed,
    ...createdBy,
    ...paused,
    created_at: isoDate("When the token was issued"),
    expires_at: isoDate("When the token expires"),
  })
  .meta({ id: "GetTokenResponse" });

export const updateTokenResponse = getTokenResponse.extend({ message: z.literal("Token updated") }).meta({ id: "UpdateTokenResponse" });

export const pauseTokenResponse = getTokenResponse.extend({ message: z.enum(["Token paused", "Token resumed"]) }).meta({ id: "PauseTokenResponse" });

export const usageBucket = z
  .object({
    start: isoDate("Start of the hour or UTC day"),
    allowed: z.int().min(0).meta({ description: "Requests the token was allowed to make" }),
    unauthorized: z.int().min(0).meta({ description: "Refused with 401 (revoked, expired or replaced) though its signature was good" }),
    forbidden: z.int().min(0).meta({ description: "Refused with 403: outside its allowed endpoints" }),
    rate_limited: z.int().min(0).meta({ description: "Refused with 429: over its rate limit" }),
  })
  .meta({ id: "UsageBucket" });

export const usageResponse = z
  .object({
    message: z.literal("Token usage"),
    jwt_token_id: tokenId,
    hourly: z.array(usageBucket).meta({ description: "The last 24 hours, oldest first (the current hour last)" }),
    daily: z.array(usageBucket).meta({ description: "The last 30 days, oldest first (today last)" }),
  })
  .meta({ id: "UsageResponse" });

export const messageResponse = z.object({ message: z.string() }).meta({ id: "MessageResponse" });

export const errorResponse = z.object({ message: z.string().meta({ description: "What went wrong, for people" }) }).meta({ id: "ErrorResponse" });

export const badRequestResponse = z
  .object({
    message: z.string().meta({ description: "Every problem in one sentence" }),
    errors: z
      .array(
        z.object({
          field: z.string().meta({ description: 'The request field (e.g. "jwt_token_life"), or "body", "id", "authorization"' }),
          message: z.string(),
        }),
      )
      .min(1),
  })
  .meta({ id: "BadRequestResponse" });

export type CreateTokenResponse = z.infer<typeof createTokenResponse>;
export type ListTokensResponse = z.infer<typeof listTokensResponse>;
export type GetTokenResponse = z.infer<typeof getTokenResponse>;
export type UpdateTokenResponse = z.infer<typeof updateTokenResponse>;
export type PauseTokenResponse = z.infer<typeof pauseTokenResponse>;
export type ErrorResponse = z.infer<typeof errorResponse>;
export type RotateTokenResponse = z.infer<typeof rotateTokenResponse>;
export type SelfResponse = z.infer<typeof selfResponse>;
export type UsageResponse = z.infer<typeof usageResponse>;
export type CreateTokenRequest = z.infer<typeof createTokenRequest>;
