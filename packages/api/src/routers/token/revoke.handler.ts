import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { TOKEN_NOT_FOUND } from "./token.schema.js";
import { revokedEvents } from "../../webhooks/token-events.js";

/**
 * Revokes a token in force and, transitively, every token created from it (the rows stay for the
 * record); every later request with any of them is refused. `owner` is the user whose token it
 * must be, or null for any user's (administrators).
 */
export async function revokeToken(ctx: AuthedContext, id: string, owner: string | null): Promise<{ id: string; revoked: number }> {
  const at = Date.now();
  const events = await revokedEvents(ctx.db, [id], at);
  const { roots, ended } = await ctx.tokenWriter.endLineage({ ids: [id], owner, at, events });
  ctx.webhooks.nudge();
  // Write-through: the very next request must not be served from the read cache.
  ctx.tokens.invalidate();
  // Followers of the revocation feed hear of it now, not at the next poll.
  void ctx.revocations.sync();
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
  const at = Date.now();
  const events = await revokedEvents(ctx.db, input.ids, at);
  const { roots, ended } = await ctx.tokenWriter.endLineage({ ids: input.ids, owner: ctx.caller.userId, at, events });
  ctx.webhooks.nudge();
  ctx.tokens.invalidate();
  void ctx.revocations.sync();
  for (const id of roots) {
    await recordAudit(ctx, { action: "token.revoke", ...byCaller(ctx), tokenId: id, detail: { bulk: true, ...(ended.length > roots.length ? { lineage: ended.length } : {}) } });
  }
  return { revoked: roots };
}
