import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { sha256Hex, signAccessToken, type RateLimit } from "@tokensmith/core";
import type { AccessToken, CreateOutcome, NewToken, RotateOutcome } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { toTokenView, type TokenView } from "./token.schema.js";

export type CreatedToken = TokenView & { token: string };

export interface IssueInput {
  description: string;
  lifeSeconds: number;
  endpoints: string[] | null;
  rateLimit: RateLimit | null;
  allowedIps: string[] | null;
  maxUses: number | null;
  audience: string[] | null;
  /** The DPoP key thumbprint it is bound to (see dpop-binding.ts); null: a plain Bearer token. */
  dpopJkt: string | null;
}

let lastCreatedAt = 0;

/**
 * When a token is made, in milliseconds and never twice the same in this process: "newest first"
 * follows creation order even for tokens made in the same second (ties would fall to the random id).
 */
function creationTime(now = Date.now()): number {
  lastCreatedAt = Math.max(now, lastCreatedAt + 1);
  return lastCreatedAt;
}

/**
 * Signs a new token and prepares its row. The JWT's iat and exp are whole seconds, so exp − iat
 * is exactly the lifetime and matches the record's expiry; the record's creation time keeps its
 * milliseconds, for ordering. Create and rotate both issue through here. A token made by a Bearer
 * request is that token's child: it ends when its parent does.
 */
export async function prepareToken(ctx: AuthedContext, input: IssueInput) {
  const createdAt = creationTime();
  const issuedAt = Math.floor(createdAt / 1000);
  const id = randomUUID();
  const signer = ctx.keys.signer();
  const token = await signAccessToken(
    {
      userId: ctx.caller.userId,
      username: ctx.caller.username,
      tokenId: id,
      description: input.description,
      issuedAt,
      lifeSeconds: input.lifeSeconds,
      endpoints: input.endpoints,
      // In the JWT too: offline verifiers (@tokensmith/verify) enforce it without asking.
      allowedIps: input.allowedIps,
      // Offline verifiers cannot count uses: this claim makes them refuse the token (auth/uses.ts).
      maxUses: input.maxUses,
      issuer: ctx.site.publicUrl,
      audience: input.audience,
      dpopJkt: input.dpopJkt,
      profile: ctx.config.jwtProfile,
    },
    signer,
  );
  const row: NewToken = {
    id,
    userId: ctx.caller.userId,
    description: input.description,
    lifeSeconds: input.lifeSeconds,
    tokenHash: sha256Hex(token),
    endpoints: input.endpoints === null ? null : JSON.stringify(input.endpoints),
    familyId: null,
    parentId: ctx.caller.token?.id ?? null,
    signingKeyId: signer.kid,
    createdAt,
    expiresAt: (issuedAt + input.lifeSeconds) * 1000,
    rateLimitRequests: input.rateLimit?.requests ?? null,
    rateLimitSeconds: input.rateLimit?.windowSeconds ?? null,
    allowedIps: input.allowedIps === null ? null : JSON.stringify(input.allowedIps),
    maxUses: input.maxUses,
    usesLeft: input.maxUses,
    audience: input.audience === null ? null : JSON.stringify(input.audience),
    dpopJkt: input.dpopJkt,
  };
  return { token, row };
}

/**
 * Why a write refused the new token: its parent ended, or would end first (the same 403 as any
 * escalation), or the user holds MAX_TOKENS_PER_USER unexpired tokens already.
 */
export function writeRefusal(outcome: Exclude<CreateOutcome | RotateOutcome, { ok: true }>): TRPCError {
  if (outcome.reason === "too_many_tokens") {
    return new TRPCError({
      code: "FORBIDDEN",
      message:
        `This user holds ${outcome.limit} unexpired tokens, the most MAX_TOKENS_PER_USER allows. Revoked tokens count until they expire ` +
        "(the revocation feed names them until then): make shorter-lived tokens, or ask an administrator to raise MAX_TOKENS_PER_USER",
    });
  }
  if (outcome.reason === "outlives_parent") {
    return new TRPCError({
      code: "FORBIDDEN",
      message: `A token cannot outlive the token that created it: that one stops at ${new Date(outcome.parentEndsAt).toISOString()}`,
    });
  }
  return new TRPCError({ code: "FORBIDDEN", message: "The token that created this one has stopped working" });
}

export const issued = (record: AccessToken, token: string): CreatedToken => ({ ...toTokenView(record), token });
