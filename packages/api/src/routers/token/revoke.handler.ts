import { TRPCError } from "@trpc/server";
import type { AuthedContext, Context } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { TOKEN_NOT_FOUND } from "./token.schema.js";
import { revokedEvents, type RevocationReason } from "../../webhooks/token-events.js";

type RevokeContext = Pick<Context, "db" | "tokenWriter" | "webhooks" | "tokens" | "revocations" | "request">;

/**
 * Ends tokens in force and, transitively, every token created from them (the rows stay for the
 * record); every later request with any of them is refused. `owner`: the user whose tokens they
 * must be, or null for any user's. The one place a revocation is written, announced (webhooks)
 * and made visible (read cache, feed), whoever asked for it.
 */
export async function endTokens(ctx: RevokeContext, ids: string[], owner: string | null, reason: RevocationReason): Promise<{ roots: string[]; ended: string[] }> {
  const at = Date.now();
  const events = await revokedEvents(ctx.db, ids, at, reason);
  const result = await ctx.tokenWriter.endLineage({ ids, owner, at, events });
  ctx.webhooks.nudge();
  // Write-through: the very next request must not be served from the read cache.
  ctx.tokens.invalidate();
  // Followers of the revocation feed hear of it now, not at the next poll.
  void ctx.revocations.sync();
  return result;
}

/** Revokes one token (see endTokens) for the caller; "not found" unless it was in force (and `owner`'s). */
export async function revokeToken(ctx: AuthedContext, id: string, owner: string | null): Promise<{ id: string; revoked: number }> {
  const { roots, ended } = await endTokens(ctx, [id], owner, "requested");
  if (roots.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  const descendants = ended.filter((ended) => ended !== id);
  await recordAudit(ctx, {
    action: "token.revoke",
    ...byCaller(ctx),
    tokenId: id,
    ...(owner === null || descendants.length > 0
      ? { detail: { ...(owner === null ? { byAdmin: true } : {}), ...(descendants.length > 0 ? { descendants } : {}) } }
      : {}),
  });
  return { id, revoked: ended.length };
}

/** The caller revokes one of their own tokens; another user's is "not found". */
export async function revokeTokenHandler(ctx: AuthedContext, input: { id: string }): Promise<{ id: string }> {
  const { id } = await revokeToken(ctx, input.id, ctx.caller.userId);
  return { id };
}

/** Several of the caller's tokens at once (the dashboard's bulk revoke): one write, one audit event each. */
export async function revokeManyHandler(ctx: AuthedContext, input: { ids: string[] }): Promise<{ revoked: string[] }> {
  const { roots, ended } = await endTokens(ctx, input.ids, ctx.caller.userId, "requested");
  for (const id of roots) {
    await recordAudit(ctx, { action: "token.revoke", ...byCaller(ctx), tokenId: id, detail: { bulk: true, ...(ended.length > roots.length ? { lineage: ended.length } : {}) } });
  }
  return { revoked: roots };
}
