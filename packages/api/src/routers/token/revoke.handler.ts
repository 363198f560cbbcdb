import { TRPCError } from "@trpc/server";
import type { AuthedContext, Context } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
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

/**
 * A caller's revocation (see endTokens) with a token.revoke event per token that was in force:
 * an administrator's (`owner` null) names whose token it was. Returns what endTokens returns.
 */
async function revokeAudited(ctx: AuthedContext, ids: string[], owner: string | null, bulk: boolean): Promise<{ roots: string[]; ended: string[] }> {
  const { roots, ended } = await endTokens(ctx, ids, owner, "requested");
  if (roots.length === 0) return { roots, ended };
  const owners =
    owner === null
      ? new Map((await ctx.db.accessToken.findMany({ where: { id: { in: roots } }, select: { id: true, user: { select: { username: true } } } })).map((t) => [t.id, t.user.username]))
      : null;
  const rows = roots.map((id) => {
    const descendants = ended.filter((e) => e !== id && !roots.includes(e));
    const detail = {
      ...(bulk ? { bulk: true } : {}),
      ...(owners ? { byAdmin: true, owner: owners.get(id) ?? null } : {}),
      ...(descendants.length > 0 ? (bulk ? { lineage: ended.length } : { descendants }) : {}),
    };
    return auditRow(ctx, { action: "token.revoke", ...byCaller(ctx), tokenId: id, ...(Object.keys(detail).length > 0 ? { detail } : {}) });
  });
  await ctx.db.auditEvent.createMany({ data: rows });
  return { roots, ended };
}

/** Revokes one token (the caller's own, or any user's for `owner` null); a token not in force is "not found". */
export async function revokeToken(ctx: AuthedContext, id: string, owner: string | null): Promise<{ id: string; revoked: number }> {
  const { roots, ended } = await revokeAudited(ctx, [id], owner, false);
  if (roots.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  return { id, revoked: ended.length };
}

/** The caller revokes one of their own tokens; another user's is "not found". */
export async function revokeTokenHandler(ctx: AuthedContext, input: { id: string }): Promise<{ id: string }> {
  const { id } = await revokeToken(ctx, input.id, ctx.caller.userId);
  return { id };
}

/** Several tokens at once (the dashboard's bulk revoke): the caller's own, or any user's for `owner` null. */
export async function revokeManyHandler(ctx: AuthedContext, input: { ids: string[] }, owner: string | null = ctx.caller.userId): Promise<{ revoked: string[] }> {
  const { roots } = await revokeAudited(ctx, input.ids, owner, true);
  return { revoked: roots };
}
