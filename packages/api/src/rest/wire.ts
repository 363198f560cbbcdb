import type { TokenView } from "../routers/token/token.schema.js";
import type { CreatedToken } from "../routers/token/create.handler.js";
import type { RotatedToken } from "../routers/token/rotate.handler.js";
import type { SelfView } from "../routers/token/self.handler.js";
import type { UsageBucket, UsageSeries } from "../usage/usage-series.js";
import type { CreateTokenRequest, CreateTokenResponse, GetTokenResponse, ListTokensResponse, RotateTokenResponse, PauseTokenResponse, SelfResponse, UpdateTokenResponse, UsageResponse } from "./schemas.js";

const limitsOf = (token: Pick<TokenView, "rateLimit" | "allowedIps" | "maxUses" | "usesLeft" | "audience" | "dpopJkt">) => ({
  jwt_token_rate_limit: token.rateLimit && { requests: token.rateLimit.requests, per_seconds: token.rateLimit.perSeconds },
  jwt_token_allowed_ips: token.allowedIps,
  jwt_token_max_uses: token.maxUses,
  uses_remaining: token.usesLeft,
  jwt_token_audience: token.audience,
  jwt_token_dpop_jkt: token.dpopJkt,
});

/** v1alpha wire → the create handler's input: a user's own token and a service account's alike. */
export const fromCreateRequest = (body: CreateTokenRequest) => ({
  description: body.jwt_token_description,
  life: body.jwt_token_life,
  endpoints: body.jwt_token_endpoints,
  rateLimit: body.jwt_token_rate_limit,
  allowedIps: body.jwt_token_allowed_ips,
  maxUses: body.jwt_token_max_uses,
  audience: body.jwt_token_audience,
  dpopJkt: body.jwt_token_dpop_jkt,
});

/** Domain (camelCase) → v1alpha wire (snake_case). The only place the two vocabularies meet. */
export function toCreateResponse(token: CreatedToken): CreateTokenResponse {
  return {
    message: "Token generated",
    jwt_token_id: token.id,
    jwt_token: token.token,
    jwt_token_description: token.description,
    jwt_token_life: token.lifeSeconds,
    jwt_token_endpoints: token.endpoints,
    ...limitsOf(token),
    created_at: token.createdAt,
    expires_at: token.expiresAt,
  };
}

export function toRotateResponse(token: RotatedToken): RotateTokenResponse {
  return {
    ...toCreateResponse(token),
    message: "Token rotated",
    rotated_from: token.rotatedFromId,
    old_token_expires_at: token.oldTokenStopsAt,
  };
}

export function toSelfResponse(self: SelfView): SelfResponse {
  return {
    message: "Token is valid",
    username: self.username,
    user_id: self.userId,
    jwt_token_id: self.tokenId,
    jwt_token_endpoints: self.endpoints,
    ...limitsOf(self),
    jwt_token_life_remaining: self.remainingSeconds,
    expires_at: self.expiresAt,
  };
}

export function toListResponse(tokens: TokenView[]): ListTokensResponse {
  const jwt_tokens: ListTokensResponse["jwt_tokens"] = {};
  for (const token of tokens) {
    jwt_tokens[token.id] = {
      jwt_token_description: token.description,
      jwt_token_life: token.lifeSeconds,
      jwt_token_remaining_life: token.remainingSeconds,
      expiry_status: token.status,
      jwt_token_endpoints: token.endpoints,
    ...limitsOf(token),
      last_used_at: token.lastUsedAt,
      last_used_ip: token.lastUsedIp,
      created_by_token_id: token.createdByTokenId,
      paused_at: token.pausedAt,
    };
  }
  return { message: "Tokens exists", jwt_tokens };
}

export function toGetResponse(token: TokenView): GetTokenResponse {
  return {
    message: "Tokens exists",
    jwt_token_id: token.id,
    jwt_token_description: token.description,
    jwt_token_life: token.lifeSeconds,
    jwt_token_life_remaining: token.remainingSeconds,
    expiry_status: token.status,
    jwt_token_endpoints: token.endpoints,
    ...limitsOf(token),
    last_used_at: token.lastUsedAt,
    last_used_ip: token.lastUsedIp,
    created_by_token_id: token.createdByTokenId,
    paused_at: token.pausedAt,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
  };
}

export const toUpdateResponse = (token: TokenView): UpdateTokenResponse => ({ ...toGetResponse(token), message: "Token updated" });
export const toPauseResponse = (token: TokenView, change: "pause" | "resume"): PauseTokenResponse => ({
  ...toGetResponse(token),
  message: change === "pause" ? "Token paused" : "Token resumed",
});

const toBucket = (b: UsageBucket) => ({
  start: b.start,
  allowed: b.allowed,
  unauthorized: b.unauthorized,
  forbidden: b.forbidden,
  rate_limited: b.limited,
});

export function toUsageResponse(id: string, usage: UsageSeries): UsageResponse {
  return { message: "Token usage", jwt_token_id: id, hourly: usage.hourly.map(toBucket), daily: usage.daily.map(toBucket) };
}

/** Input field names of the procedures → the v1alpha request's names, for `errors[].field`. */
const WIRE_FIELDS: Record<string, string> = {
  description: "jwt_token_description",
  life: "jwt_token_life",
  endpoints: "jwt_token_endpoints",
  rateLimit: "jwt_token_rate_limit",
  allowedIps: "jwt_token_allowed_ips",
  maxUses: "jwt_token_max_uses",
  audience: "jwt_token_audience",
  dpopJkt: "jwt_token_dpop_jkt",
};
export const toWireField = (field: string): string => WIRE_FIELDS[field] ?? field;
