import { sha256Hex, verifyAccessToken, type AccessTokenClaims } from "@tokensmith/core";
import type { TokenAuthRecord } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";
import { revokeFamilyOnReuse } from "./reuse.js";

/** No token of ours is anywhere near this long; longer ones are refused before any hashing. */
export const MAX_TOKEN_LENGTH = 8192;

export type BearerContext = Pick<Services, "db" | "tokens" | "tokenWriter" | "verifiedTokens" | "keys" | "lastUsed" | "revocations" | "usage"> & {
  request: RequestMeta;
};

export type BearerCheck = { ok: true; claims: AccessTokenClaims; record: TokenAuthRecord } | { ok: false };

/**
 * The one verify path every entry point shares — REST, tRPC, introspection and forward auth:
 * signature and expiry first (no I/O; skipped for a token already verified), then the record,
 * read through the cache that writes invalidate, so revocation counts from the very next request.
 * A rotated-away token presented after its overlap revokes its whole lineage (reuse detection).
 */
export async function checkBearer(ctx: BearerContext, token: string): Promise<BearerCheck> {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false };
  const { tokens, verifiedTokens, keys } = ctx;
  const tokenHash = sha256Hex(token);
  let claims = verifiedTokens.get(tokenHash, Math.floor(Date.now() / 1000));
  if (!claims) {
    const verified = await verifyAccessToken(token, keys.lookup);
    if (!verified.ok) {
      // A token we signed, used after it expired: a use, refused. (A forged one is no token's use.)
      if (verified.reason === "expired" && verified.jti) ctx.usage.count(verified.jti, "unauthorized");
      return { ok: false };
    }
    claims = verified.claims;
    verifiedTokens.set(tokenHash, claims);
  }
  const record = await tokens.authRecord(claims.jti);
  const now = Date.now();
  if (record === undefined || record.userId !== claims.sub || record.tokenHash !== tokenHash) return { ok: false };
  if (record.revokedAt !== null && record.revokedAt <= now) {
    ctx.usage.count(claims.jti, "unauthorized");
    // A rotated-away token presented after its overlap: someone kept a copy.
    if (record.rotatedAt !== null) await revokeFamilyOnReuse(ctx, claims.jti, record);
    return { ok: false };
  }
  if (record.expiresAt <= now) {
    ctx.usage.count(claims.jti, "unauthorized");
    return { ok: false };
  }
  void ctx.lastUsed.touch(claims.jti, ctx.request.ip);
  return { ok: true, claims, record };
}
