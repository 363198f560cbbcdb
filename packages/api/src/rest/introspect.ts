import type { AuthedContext } from "../context/index.js";
import { audienceClaim, parseAddress } from "@tokensmith/core";
import { checkBearer, type BearerCheck } from "../auth/bearer.js";
import { introspectionUse } from "../auth/introspection-policy.js";
import { andThen, type MaybePromise } from "../util/maybe-promise.js";
import { badRequest } from "./http.js";
import { requiredToken, type OAuthForm } from "./oauth-form.js";
import { checkedToken, spendUse } from "../auth/uses.js";

/** RFC 7662: anything not in force — revoked, expired, unknown, forged, garbage — is exactly this. */
const INACTIVE = { active: false } as const;

export interface IntrospectionResponse {
  active: true;
  sub: string;
  username: string;
  /** "service" for a service account's token, else "person". */
  account_type: "person" | "service";
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  /** "DPoP" for a DPoP-bound token (RFC 9449 §6.2), with its cnf. */
  token_type: "Bearer" | "DPoP";
  cnf?: { jkt: string };
  jwt_token_endpoints: string[] | null;
  /** Use-limited tokens only: uses in all, and left after this introspection spent one. */
  jwt_token_max_uses?: number | null;
  uses_remaining?: number;
  /** RFC 7662 §2.2: whom the token is meant for, as it was signed; absent when it names no one. */
  aud?: string | string[];
  /** RFC 9068 profile tokens only: their client_id (the token's id). */
  client_id?: string;
}

/** `client_ip`: the address the token was presented from, for tokens with an allowlist. */
function clientIpFrom(form: OAuthForm): string | null {
  const clientIp = form.client_ip;
  if (clientIp !== undefined && clientIp !== null && (typeof clientIp !== "string" || parseAddress(clientIp) === null)) {
    throw badRequest("client_ip is not an IP address", [{ field: "client_ip", message: "must be an IPv4 or IPv6 address" }]);
  }
  return typeof clientIp === "string" ? clientIp : null;
}

/**
 * POST /v1alpha/introspect — what a resource server asks about a token it was shown. Through the
 * same hot path as Bearer authentication (cached; a revocation counts from the very next call).
 */
export function introspect(ctx: AuthedContext, form: OAuthForm): MaybePromise<IntrospectionResponse | typeof INACTIVE> {
  const token = requiredToken(form);
  const clientIp = clientIpFrom(form);
  // Counted against the token's rate limit; outside its allowlist, or over its limit, it is inactive.
  // Another user's token is inactive too, unless the caller may introspect any token.
  return andThen(checkBearer(ctx, token, clientIp, 1, introspectionUse(ctx.caller)), (checked) => answerFor(ctx, checked));
}

function answerFor(ctx: AuthedContext, checked: BearerCheck): MaybePromise<IntrospectionResponse | typeof INACTIVE> {
  if (!checked.ok) return INACTIVE;
  // Shown to a resource server: a use of the token, as much as presenting it to Tokensmith is (auth/uses.ts).
  return andThen(spendUse(ctx, checkedToken(checked.claims.jti, checked.record)), (spent) => (spent.ok ? active(ctx, checked, spent.usesLeft) : INACTIVE));
}

function active(ctx: AuthedContext, { claims, record }: Extract<BearerCheck, { ok: true }>, usesLeft: number | null): IntrospectionResponse {
  ctx.usage.count(claims.jti, "allowed");
  return {
    active: true,
    sub: record.userId,
    username: record.username,
    account_type: record.accountType,
    jti: claims.jti,
    iat: claims.iat,
    exp: claims.exp,
    iss: claims.iss ?? ctx.site.publicUrl,
    // RFC 9449 §6.2: a bound token is a DPoP token, and cnf.jkt is the key its proofs must be signed with.
    token_type: record.dpopJkt === null ? "Bearer" : "DPoP",
    ...(record.dpopJkt === null ? {} : { cnf: { jkt: record.dpopJkt } }),
    jwt_token_endpoints: record.endpoints,
    ...(usesLeft === null ? {} : { jwt_token_max_uses: record.maxUses, uses_remaining: usesLeft }),
    ...(record.audience ? { aud: audienceClaim(record.audience) } : {}),
    ...(claims.client_id ? { client_id: claims.client_id } : {}),
  };
}
