import type { TokenView } from "../routers/token/token.schema.js";
import type { CreatedToken } from "../routers/token/create.handler.js";
import type { CreateTokenResponse, GetTokenResponse, ListTokensResponse } from "./schemas.js";

/** Domain (camelCase) → v1alpha wire (snake_case). The only place the two vocabularies meet. */
export function toCreateResponse(token: CreatedToken): CreateTokenResponse {
  return {
    message: "Token generated",
    jwt_token_id: token.id,
    jwt_token: token.token,
    jwt_token_description: token.description,
    jwt_token_life: token.lifeSeconds,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
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
    created_at: token.createdAt,
    expires_at: token.expiresAt,
  };
}
