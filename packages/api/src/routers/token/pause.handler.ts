import { TRPCError } from "@trpc/server";
import type { PauseOutcome } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
import { tokenEvent } from "../../webhooks/events.js";
import { TOKEN_NOT_FOUND, toTokenView, type TokenView } from "./token.schema.js";

/**
 * Pauses a token may have over its life. Each pause and each resume is an entry in the revocation
 * feed, which every verifier holds until the token expires: the cap bounds what one token (and so
 * one user, whose tokens are bounded by MAX_TOKENS_PER_USER) can add to it, however often it is
 * toggled. A token that needs more can be rotated.
 */
export const MAX_PAUSES_PER_TOKEN = 20;

const REFUSALS: Record<Exclude<PauseOutcome, { ok: true }>["reason"], { code: TRPCError["code"]; message: string }> = {
  not_found: { code: "NOT_FOUND", message: TOKEN_NOT_FOUND },
  already_paused: { code: "CONFLICT", message: "This token is already paused" },
  not_paused: { code: "CONFLICT", message: "This token is not paused" },
  too_many_pauses: { code: "TOO_MANY_REQUESTS", message: `This token has been paused ${MAX_PAUSES_PER_TOKEN} times, the most a token may be: rotate it for a new one` },
  paused_with_parent: { code: "CONFLICT", message: "This token was paused with the token that created it: resume that one" },
};

/**
 * Pauses or resumes one token (`owner`'s, or any user's for `owner` null): the one place either is
 * asked for, audited (token.pause / token.resume), announced (token.paused / token.resumed) and
 * made visible (read cache, feed), whoever asked. Refused everywhere while paused (bearer.ts); a
 * pause takes the tokens it created along, and its resume brings them back. A revoked or expired
 * token cannot be resumed (not found); a paused token can still be revoked.
 */
export async function changePause(ctx: AuthedContext, id: string, owner: string | null, change: "pause" | "resume"): Promise<TokenView> {
  const now = Date.now();
  const stamp = new Date(now).toISOString();
  const outcome = await ctx.tokenWriter.setPaused({
    id,
    owner,
    change,
    now,
    maxPauses: MAX_PAUSES_PER_TOKEN,
    audit: (token, affected) => {
      const byAdmin = token.userId !== ctx.caller.userId;
      const detail = { ...(byAdmin ? { byAdmin: true, owner: token.username } : {}), ...(affected.length > 0 ? { descendants: affected } : {}) };
      return auditRow(ctx, { action: change === "pause" ? "token.pause" : "token.resume", ...byCaller(ctx), tokenId: id, ...(Object.keys(detail).length > 0 ? { detail } : {}) });
    },
    events: (token, affected) => [
      change === "pause"
        ? tokenEvent("token.paused", token, { paused_at: stamp, paused_descendants: affected }, now)
        : tokenEvent("token.resumed", token, { resumed_at: stamp, resumed_descendants: affected }, now),
    ],
  });
  if (!outcome.ok) {
    const refusal = REFUSALS[outcome.reason];
    const message = outcome.reason === "paused_with_parent" ? `This token was paused with the token that created it (${outcome.parentId}): resume that one` : refusal.message;
    throw new TRPCError({ code: refusal.code, message });
  }
  ctx.webhooks.nudge();
  // Write-through: the very next request must see it, and followers of the feed hear of it now.
  ctx.tokens.invalidate();
  void ctx.revocations.sync();
  return toTokenView(outcome.token, now);
}

export const pauseTokenHandler = (ctx: AuthedContext, input: { id: string }) => changePause(ctx, input.id, ctx.caller.userId, "pause");
export const resumeTokenHandler = (ctx: AuthedContext, input: { id: string }) => changePause(ctx, input.id, ctx.caller.userId, "resume");
