import { TRPCError } from "@trpc/server";
import { parseLifetime } from "@tokensmith/core";
import { invalidField } from "../field-error.js";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { TOKEN_NOT_FOUND, toTokenView, type RotateTokenInput } from "./token.schema.js";
import type { AccessToken } from "@tokensmith/db";
import { assertNoEscalation, assertWithin, type TokenPowers } from "./limits.js";
import { issued, prepareToken, writeRefusal, type CreatedToken } from "./issue.js";
import { tokenEvent } from "../../webhooks/events.js";
import { enforcePolicy } from "../../policies/store.js";
import { assertRotatable } from "../../auth/uses.js";
import { dpopBinding } from "./dpop-binding.js";

export type RotatedToken = CreatedToken & { rotatedFromId: string; oldTokenStopsAt: string };

const ALREADY_ROTATED = "This token was already rotated: rotate its replacement";
const PAUSED = "This token is paused: resume it before rotating it";

/**
 * Replaces a token with a new one of the same description, endpoints and lifetime. The old one
 * (and what it created) keeps working until the overlap ends (default: it stops now); presenting
 * it after that counts as reuse and revokes the whole lineage (see auth/reuse.ts). Concurrent
 * rotations of one token: exactly one wins, the others get 409.
 */
export async function rotateTokenHandler(ctx: AuthedContext, input: RotateTokenInput): Promise<RotatedToken> {
  const old = await ctx.tokens.activeToken(input.id, ctx.caller.userId);
  if (!old) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  if (old.rotatedAt) throw new TRPCError({ code: "CONFLICT", message: ALREADY_ROTATED });
  assertRotatable(old, ctx.caller.token);
  let overlapSeconds = 0;
  if (input.overlap !== undefined) {
    const overlap = parseLifetime(input.overlap, { maxSeconds: ctx.config.maxTokenLifeSeconds });
    if (!overlap.ok) throw invalidField("overlap", overlap.message, `overlap: ${overlap.message}`);
    overlapSeconds = overlap.seconds;
  }
  const powers = await replacementPowers(ctx, old, input);
  // The replacement keeps the old lifetime and endpoints: a policy made stricter since is met here.
  await enforcePolicy(ctx, { lifeSeconds: old.lifeSeconds, ...powers, overlapSeconds });
  const dpopJkt = await dpopBinding(ctx, input.dpopJkt, old.dpopJkt);
  const { token, row } = await prepareToken(ctx, { description: old.description, lifeSeconds: old.lifeSeconds, ...powers, maxUses: null, dpopJkt });
  assertNoEscalation(ctx, { ...powers, expiresAt: row.expiresAt });

  const now = Date.now();
  const event = tokenEvent("token.rotated", { ...old, username: ctx.caller.username }, {
    new_token_id: row.id,
    new_expires_at: new Date(row.expiresAt).toISOString(),
    overlap_seconds: overlapSeconds,
  });
  const outcome = await ctx.tokenWriter.rotate({
    oldId: old.id,
    userId: ctx.caller.userId,
    replacement: row,
    rotatedBy: ctx.caller.token?.id ?? null,
    overlapMs: overlapSeconds * 1000,
    now,
    events: [event],
    maxPerUser: ctx.config.maxTokensPerUser,
  });
  if (!outcome.ok) {
    if (outcome.reason === "not_found") throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
    if (outcome.reason === "already_rotated") throw new TRPCError({ code: "CONFLICT", message: ALREADY_ROTATED });
    if (outcome.reason === "paused") throw new TRPCError({ code: "CONFLICT", message: PAUSED });
    throw writeRefusal(outcome);
  }
  // Write-through: the very next request must see the old token's new end.
  ctx.tokens.invalidate();
  // Followers of the revocation feed hear of it now, not at the next poll.
  void ctx.revocations.sync();
  ctx.webhooks.nudge();
  const record = outcome.token;
  await recordAudit(ctx, { action: "token.rotate", ...byCaller(ctx), tokenId: old.id, detail: { newTokenId: record.id, overlapSeconds } });
  return { ...issued(record, token), rotatedFromId: old.id, oldTokenStopsAt: new Date(outcome.oldStopsAt).toISOString() };
}

/**
 * The old token's powers, with a new rate limit or allowlist where the request names one. A
 * changed one must still lie within what created the old token (the replacement stays its child).
 */
async function replacementPowers(ctx: AuthedContext, old: AccessToken, input: RotateTokenInput): Promise<TokenPowers> {
  const kept = toTokenView(old);
  const powers: TokenPowers = {
    endpoints: kept.endpoints,
    rateLimit: input.rateLimit !== undefined ? input.rateLimit : kept.rateLimit && { requests: kept.rateLimit.requests, windowSeconds: kept.rateLimit.perSeconds },
    allowedIps: input.allowedIps !== undefined ? input.allowedIps : kept.allowedIps,
    // A token that names none (by the request, or before) gets DEFAULT_AUDIENCE, as at creation:
    // under JWT_PROFILE=rfc9068 every new token needs an aud.
    audience: (input.audience !== undefined ? input.audience : kept.audience) ?? ctx.config.defaultAudience,
  };
  const changed = input.rateLimit !== undefined || input.allowedIps !== undefined || input.audience !== undefined;
  if (changed && old.parentId !== null && old.parentId !== ctx.caller.token?.id) {
    const parent = await ctx.tokens.activeToken(old.parentId, ctx.caller.userId);
    if (parent) {
      const view = toTokenView(parent);
      const parentLimit = view.rateLimit && { requests: view.rateLimit.requests, windowSeconds: view.rateLimit.perSeconds };
      assertWithin({ endpoints: view.endpoints, rateLimit: parentLimit, allowedIps: view.allowedIps, audience: view.audience }, powers, "The token that created this one");
    }
  }
  return powers;
}
