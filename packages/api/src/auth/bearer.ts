import { readUnverifiedToken, sha256Hex, verifyAccessToken, type AccessTokenClaims } from "@tokensmith/core";
import type { TokenAuthRecord } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";
import { revokeFamilyOnReuse } from "./reuse.js";
import { allowedFrom } from "./allowlists.js";
import type { VerifiedToken } from "./verified-tokens.js";
import { andThen, type MaybePromise } from "../util/maybe-promise.js";
import type { Quota } from "../rate-limits/rate-limiter.js";
import { provePossession, type DpopRefusal, type Presentation } from "./dpop.js";

/** No token of ours is anywhere near this long; longer ones are refused before any hashing. */
export const MAX_TOKEN_LENGTH = 8192;

export type BearerContext = Pick<Services, "config" | "dpopProofs" | "db" | "tokens" | "tokenWriter" | "verifiedTokens" | "keys" | "lastUsed" | "revocations" | "usage" | "rateLimits" | "webhooks"> & {
  request: RequestMeta;
};

export type BearerCheck =
  | { ok: true; claims: AccessTokenClaims; record: TokenAuthRecord; quota: Quota | null }
  /** Not a token in force: forged, expired, revoked, replaced, unknown. */
  | { ok: false; refusal: "invalid" }
  /** In force, but used from an address outside its allowlist. */
  | { ok: false; refusal: "address"; claims: AccessTokenClaims }
  /** In force, but over its rate limit for this window. */
  | { ok: false; refusal: "rate_limited"; claims: AccessTokenClaims; quota: Quota }
  /** In force, but DPoP-bound and without a valid proof (or DPoP presented for a token that is not bound): see dpop.ts. */
  | DpopRefusal;

const INVALID = { ok: false, refusal: "invalid" } as const;

/** Refused, and no token's use to count: counted among refused checks only. */
function notOurs(ctx: Pick<BearerContext, "usage">): typeof INVALID {
  ctx.usage.countUnknown();
  return INVALID;
}

/** How one entry point uses the check (introspection: see introspection-policy.ts). */
export interface BearerUse {
  /** Whether the caller may hear about this token at all; if not, it is invalid before anything is counted. */
  permits?: (record: TokenAuthRecord) => boolean;
  /** Record `clientAddress` as where the token was last used (default); false: an unknown address. */
  recordsAddress?: boolean;
  /** The scheme, and the DPoP proof with the request it must name; undefined: a Bearer token with no proof. */
  presented?: Presentation;
  /** Introspection: the resource server checks the proof it received (RFC 9449 §6.2); the answer carries `cnf`. */
  proofCheckedByCaller?: boolean;
}
const ANY_USE: BearerUse = {};

/**
 * The one verify path every entry point shares — REST, tRPC, introspection and forward auth:
 * a token not verified before is known by its stored hash or else by its signature and expiry
 * (see knownByHash), then the record,
 * read through the cache that writes invalidate, so revocation counts from the very next request.
 * A rotated-away token presented after its overlap revokes its whole lineage (reuse detection).
 * Then the token's own limits: its allowlist against `clientAddress` (null when the caller's
 * address is unknown, which no allowlist admits), and only then its rate limit, so requests from
 * outside cannot spend the holder's quota. `weight`: how many calls the request carries (a tRPC
 * batch counts each of its calls against the rate limit). A DPoP-bound token needs its proof
 * (dpop.ts) after the allowlist and before the rate limit. Answered synchronously when the token
 * was verified before, its row is cached and it has no rate limit: the common case costs no await.
 */
export function checkBearer(ctx: BearerContext, token: string, clientAddress: string | null | undefined, weight = 1, use: BearerUse = ANY_USE): MaybePromise<BearerCheck> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return notOurs(ctx);
  const known = ctx.verifiedTokens.get(token, Math.floor(Date.now() / 1000));
  return known ? checkRecord(ctx, known, clientAddress, weight, use) : verifyThenCheck(ctx, token, clientAddress, weight, use);
}

/** A token not seen (or no longer cached): known by its stored hash, else by its signature. */
async function verifyThenCheck(ctx: BearerContext, token: string, clientAddress: string | null | undefined, weight: number, use: BearerUse): Promise<BearerCheck> {
  const known = (await knownByHash(ctx, token)) ?? (await knownBySignature(ctx, token));
  if (known === undefined) return INVALID;
  ctx.verifiedTokens.set(known);
  return checkRecord(ctx, known, clientAddress, weight, use);
}

/**
 * A token whose bytes have the SHA-256 stored on its row is the very token we issued (or imported
 * after checking its signature): with the key it names still trusted, that is what a signature
 * check would prove, for ~1/20 of the CPU. Whatever this cannot settle — no such row, another
 * hash (a forged token reusing a real id), an unknown key, expired, a shape we do not issue — goes
 * to the signature check, which refuses it as before.
 */
async function knownByHash(ctx: BearerContext, token: string): Promise<VerifiedToken | undefined> {
  const read = readUnverifiedToken(token);
  if (read === undefined || read.claims.exp * 1000 <= Date.now()) return undefined;
  const record = await ctx.tokens.authRecord(read.claims.jti);
  if (record === undefined) return undefined;
  const tokenHash = sha256Hex(token);
  if (record.tokenHash !== tokenHash) return undefined;
  const key = await ctx.keys.lookup({ alg: read.alg, kid: read.kid, specter: read.specter });
  if (!key || key.alg !== read.alg || (key.specter ?? false) !== read.specter) return undefined;
  ctx.verifiedTokens.countFirstSight("hash");
  // The row's copy of the hash: equal, and one string fewer held per cached token.
  return { token, claims: read.claims, tokenHash: record.tokenHash };
}

/** Signature and expiry, through jose. */
async function knownBySignature(ctx: BearerContext, token: string): Promise<VerifiedToken | undefined> {
  ctx.verifiedTokens.countFirstSight("signature");
  const verified = await verifyAccessToken(token, ctx.keys.lookup);
  if (!verified.ok) {
    // A token we signed, used after it expired: a use, refused. (A forged one is no token's use.)
    if (verified.reason === "expired" && verified.jti) ctx.usage.count(verified.jti, "unauthorized");
    else ctx.usage.countUnknown();
    return undefined;
  }
  return { token, claims: verified.claims, tokenHash: sha256Hex(token) };
}

function checkRecord(ctx: BearerContext, known: VerifiedToken, clientAddress: string | null | undefined, weight: number, use: BearerUse): MaybePromise<BearerCheck> {
  return andThen(ctx.tokens.authRecord(known.claims.jti), (record) => decide(ctx, known, record, clientAddress, weight, use));
}

/** The record in force, the allowlist, then the rate limit; synchronous unless a write or the limiter must wait. */
function decide(
  ctx: BearerContext,
  { token, claims, tokenHash }: VerifiedToken,
  record: TokenAuthRecord | undefined,
  clientAddress: string | null | undefined,
  weight: number,
  use: BearerUse,
): MaybePromise<BearerCheck> {
  const now = Date.now();
  // The hash binds the token to its row; sub is absent only on imported Specter tokens (see AccessTokenClaims).
  if (record === undefined || record.tokenHash !== tokenHash || (claims.sub !== undefined && record.userId !== claims.sub)) return notOurs(ctx);
  // Before any use is counted, limited or taken for reuse: the caller may not even hear of it.
  if (use.permits && !use.permits(record)) return INVALID;
  if (record.revokedAt !== null && record.revokedAt <= now) {
    ctx.usage.count(claims.jti, "unauthorized");
    // A rotated-away token presented after its overlap: someone kept a copy.
    if (record.rotatedAt !== null) return revokeFamilyOnReuse(ctx, claims.jti, record, clientAddress).then(() => INVALID);
    return INVALID;
  }
  if (record.expiresAt <= now) {
    ctx.usage.count(claims.jti, "unauthorized");
    return INVALID;
  }
  // Paused by its owner or an administrator (or with the token that created it): refused like a
  // revoked token until resumed (pause.handler.ts).
  if (record.pausedAt !== null) {
    ctx.usage.count(claims.jti, "unauthorized");
    return INVALID;
  }
  if (record.allowedIps !== null && !allowedFrom(record.allowedIps, clientAddress)) {
    ctx.usage.count(claims.jti, "forbidden");
    return { ok: false, refusal: "address", claims };
  }
  const limited = () => withinRateLimit(ctx, claims, record, clientAddress, weight, use, now);
  if ((record.dpopJkt === null && use.presented?.scheme !== "dpop") || (use.proofCheckedByCaller && record.dpopJkt !== null)) return limited();
  return provePossession(ctx, token, claims, record, use.presented).then((refused) => {
    if (refused === null) return limited();
    ctx.usage.count(claims.jti, "unauthorized");
    return refused;
  });
}

function withinRateLimit(
  ctx: BearerContext,
  claims: AccessTokenClaims,
  record: TokenAuthRecord,
  clientAddress: string | null | undefined,
  weight: number,
  use: BearerUse,
  now: number,
): MaybePromise<BearerCheck> {
  const accepted = (quota: Quota | null): BearerCheck => {
    void ctx.lastUsed.touch(claims.jti, use.recordsAddress === false ? undefined : (clientAddress ?? undefined));
    return { ok: true, claims, record, quota };
  };
  if (record.rateLimit === null) return accepted(null);
  return ctx.rateLimits.take(claims.jti, record.rateLimit, now, weight).then((taken): BearerCheck => {
    if (taken.allowed) return accepted(taken.quota);
    ctx.usage.count(claims.jti, "limited");
    return { ok: false, refusal: "rate_limited", claims, quota: taken.quota };
  });
}
