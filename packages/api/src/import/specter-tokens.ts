import { sha256Hex, verifyAccessToken, type VerificationKey } from "@tokensmith/core";
import type { NewToken } from "@tokensmith/db";
import { MAX_TOKEN_LENGTH } from "../auth/bearer.js";
import { SPECTER_KID } from "../keys/bootstrap.js";
import type { SpecterToken } from "./specter-file.js";

export type TokenCheck = { ok: true; row: NewToken; clamped: boolean } | { ok: false; reason: string };

/**
 * Whether one of a user's Specter tokens is worth importing, and its row: only what Specter itself
 * would still accept. It must verify with Specter's secret (HS256, Specter's claims), be unexpired,
 * and name, in its signed claims, the user it is filed under and the id it is filed as (Specter
 * looks a token up by those claims: one filed elsewhere never worked). Its expiry is capped at
 * `maxExpiresAt` (MAX_TOKEN_LIFE from now). Only its SHA-256 is kept.
 */
export async function checkSpecterToken(
  token: SpecterToken,
  owner: { specterUsername: string; userId: string },
  key: VerificationKey,
  now: number,
  maxExpiresAt: number,
): Promise<TokenCheck> {
  if (token.jwt.length === 0 || token.jwt.length > MAX_TOKEN_LENGTH) return { ok: false, reason: `is empty or longer than ${MAX_TOKEN_LENGTH} characters` };
  const verified = await verifyAccessToken(token.jwt, ({ specter }) => (specter ? key : undefined), new Date(now));
  if (!verified.ok) {
    return {
      ok: false,
      reason: verified.reason === "expired" ? "has expired" : "does not verify with this secret (signed with another one, or not a Specter token): Specter refuses it too",
    };
  }
  const { claims } = verified;
  if (claims.username !== owner.specterUsername) return { ok: false, reason: `is filed under another user than the one its claims name: Specter refuses it too` };
  if (claims.jti !== token.id) return { ok: false, reason: "carries another id in its claims than the one it is filed as: Specter refuses it too" };
  const expiresAt = Math.min(claims.exp * 1000, maxExpiresAt);
  const createdAt = Math.min(claims.iat * 1000, now);
  return {
    ok: true,
    clamped: expiresAt < claims.exp * 1000,
    row: {
      id: token.id,
      userId: owner.userId,
      description: token.description,
      lifeSeconds: Math.max(1, Math.round((expiresAt - createdAt) / 1000)),
      tokenHash: sha256Hex(token.jwt),
      endpoints: null,
      familyId: null,
      parentId: null,
      signingKeyId: SPECTER_KID,
      rateLimitRequests: null,
      rateLimitSeconds: null,
      allowedIps: null,
      maxUses: null,
      usesLeft: null,
      audience: null,
      dpopJkt: null,
      createdAt,
      expiresAt,
    },
  };
}
