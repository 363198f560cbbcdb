import type { KeyAlgorithm } from "./signing-keys.js";

/** The payload a Specter v1alpha client decodes, plus the registered claims. */
export interface AccessTokenClaims {
  /**
   * The user id. Absent only on a token imported from Specter Desktop (which names its user by
   * username): such a token is bound to its user by the hash stored at import, and by nothing else.
   */
  sub?: string;
  jti: string;
  username: string;
  jwt_token_id: string;
  jwt_token_description: string;
  /** Present when the token is limited to some endpoints. */
  jwt_token_endpoints?: string[];
  /** Present when the token may be used only from these addresses (CIDR ranges). */
  jwt_token_allowed_ips?: string[];
  /**
   * Present when the token allows only so many uses in all: only the server can count them, so
   * offline verifiers (@tokensmith/verify) refuse a token that carries it.
   */
  jwt_token_max_uses?: number;
  /** Tokens of older releases have none. */
  iss?: string;
  /** Whom the token is meant for; absent when it names no audience. */
  aud?: string | string[];
  /** A DPoP-bound token's key (RFC 9449 §6.1): every use needs a proof signed by the key with this thumbprint. */
  cnf?: { jkt?: string };
  /** RFC 9068 profile only: the token's own id (see JWT_PROFILE in the configuration reference). */
  client_id?: string;
  iat: number;
  exp: number;
}

/** The algorithms a token may be signed with (by kid; HS256 for older releases and Specter). */
export const VERIFIABLE: KeyAlgorithm[] = ["ES256", "EdDSA", "HS256"];

/** Specter's payload: no kid in the header (checked by the caller), no sub and no jti. Unverified: it only picks the key. */
export function specterShaped(payload: string): boolean {
  const claims = decodeSegment(payload);
  return claims !== undefined && !("sub" in claims) && !("jti" in claims);
}

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * The claims of a payload whose signature checked out (or whose bytes are a stored token's), in
 * our shape, or null when they do not fit it. A Specter token's jwt_token_id is its jti, and only
 * what Specter signs is kept — a claim such a token smuggles in (endpoints, sub, iss) is dropped.
 * Specter refuses a token with no username or a missing or non-string id, and so does this.
 */
export function accessTokenClaims(payload: Record<string, unknown>, specter: boolean): AccessTokenClaims | null {
  if (specter) {
    const { username, jwt_token_id, jwt_token_description, iat, exp } = payload;
    if (!nonEmpty(username) || !nonEmpty(jwt_token_id) || typeof iat !== "number" || typeof exp !== "number") return null;
    const description = typeof jwt_token_description === "string" ? jwt_token_description : "";
    return { username, jwt_token_id, jti: jwt_token_id, jwt_token_description: description, iat, exp };
  }
  const claims = payload as unknown as AccessTokenClaims;
  if (!nonEmpty(claims.sub) || !nonEmpty(claims.jti) || typeof claims.username !== "string" || claims.jwt_token_id !== claims.jti) return null;
  return claims;
}

/** A token's header and claims, read without checking anything a signature proves. */
export interface UnverifiedToken {
  alg: KeyAlgorithm;
  kid: string | undefined;
  specter: boolean;
  claims: AccessTokenClaims;
}

/**
 * Reads a compact JWT the way verifyAccessToken reads one whose signature checked out (typ JWT, an
 * algorithm we verify, iat and exp numbers, our claims' shape), without the signature. Only
 * something else that proves the bytes are ours may act on it: the token's stored hash.
 */
export function readUnverifiedToken(token: string): UnverifiedToken | undefined {
  const first = token.indexOf(".");
  const second = token.indexOf(".", first + 1);
  if (first === -1 || second === -1 || token.indexOf(".", second + 1) !== -1) return undefined;
  const header = decodeSegment(token.slice(0, first));
  const payload = decodeSegment(token.slice(first + 1, second));
  if (header === undefined || payload === undefined || header.typ !== "JWT") return undefined;
  const alg = VERIFIABLE.find((each) => each === header.alg);
  if (alg === undefined || typeof payload.iat !== "number" || typeof payload.exp !== "number") return undefined;
  if (header.kid !== undefined && typeof header.kid !== "string") return undefined;
  const specter = header.kid === undefined && !("sub" in payload) && !("jti" in payload);
  const claims = accessTokenClaims(payload, specter);
  return claims ? { alg, kid: header.kid, specter, claims } : undefined;
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
