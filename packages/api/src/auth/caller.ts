import type { RateLimit } from "@tokensmith/core";

/** The token behind a Bearer request: what scope checks and no-escalation rules need. */
export interface CallerToken {
  id: string;
  endpoints: string[] | null;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms when it stops working ahead of expiry (a rotation's overlap), else null. */
  revokedAt: number | null;
  /** Its rate limit and allowlist: a token it creates may have no more. */
  rateLimit: RateLimit | null;
  allowedIps: string[] | null;
  /** Allowed uses in all (null: no limit); see uses.ts. */
  maxUses: number | null;
  /** Uses left once this request's own use was spent (set by spendCallerUse). */
  usesLeft?: number | null;
  /** Its audiences: a token it creates may only name some of them. */
  audience: string[] | null;
  /** The DPoP key it is bound to: a token it creates is bound too (to this key unless it names another). */
  dpopJkt: string | null;
}

export interface Caller {
  userId: string;
  username: string;
  isAdmin: boolean;
  /** May introspect any user's tokens (granted by an administrator; see introspection-policy.ts). */
  introspectAny?: boolean;
  via: "bearer" | "basic" | "session" | "cli";
  /** The token that authenticated this request (Bearer only). */
  token?: CallerToken;
  /** Set when a person issues a token for a service account (the caller is then the account): who did. */
  issuedBy?: { userId: string; username: string };
  /** The session that authenticated this request (cookie only). */
  sessionId?: string;
}

/**
 * Why credentials that were sent were refused: REST turns this into the WWW-Authenticate header;
 * "unavailable": they could not be checked because the database cannot be reached (503).
 */
export type AuthFailure =
  | "invalid_token"
  /** A name and password (HTTP Basic, an OAuth client's id and secret) refused. */
  | "invalid_credentials"
  /** An Authorization scheme other than Basic and Bearer. */
  | "unsupported_scheme"
  | "rate_limited"
  | "unavailable"
  /** A token in force, used from outside its allowlist (403). */
  | "address_not_allowed"
  /** A token in force, over its own rate limit (429 with its quota). */
  | "token_rate_limited"
  /** A use-limited token with no uses left (401). */
  | "uses_exhausted"
  /** A DPoP-bound token whose proof was refused, or none sent (401, RFC 9449 §7.1; Context.authReason says why). */
  | "invalid_dpop_proof"
  /** A DPoP-bound token sent as Bearer, a proof by another key, or DPoP with an unbound token (401 invalid_token with a DPoP challenge). */
  | "dpop_invalid_token"
  | null;
