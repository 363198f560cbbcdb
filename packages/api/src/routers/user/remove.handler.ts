import { TRPCError } from "@trpc/server";
import { inForceWhere } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { tokenEvent } from "../../webhooks/events.js";
import { invalidField } from "../field-error.js";
import { findUserByName } from "../../auth/users.js";

const REVOKE_BATCH = 1000;

/**
 * Deletes a user with their tokens, sessions and endpoints. Their tokens in force are ended first,
 * like any revocation: each with its token.revoked event in the same transaction, so admin-wide
 * webhook endpoints hear of every token that stopped (the user's own endpoints go with the user).
 * A failure between the two steps leaves the tokens revoked and the user in place, never the
 * reverse.
 */
export async function removeUserHandler(ctx: AuthedContext, input: { username: string }): Promise<{ username: string; tokensRevoked: number }> {
  const user = await findUserByName(ctx.db, input.username);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `No user named "${input.username}"` });
  if (user.id === ctx.caller.userId) throw invalidField("username", "You cannot delete yourself");
  const at = Date.now();
  const tokens = await ctx.db.accessToken.findMany({
    where: { userId: user.id, expiresAt: { gt: new Date(at) }, ...inForceWhere(new Date(at)) },
    select: { id: true, userId: true, description: true, expiresAt: true },
  });
  const byId = new Map(tokens.map((t) => [t.id, t]));
  // A thousand at a time: each batch one short transaction (a user may hold tens of thousands).
  let ended = 0;
  for (let i = 0; i < tokens.length; i += REVOKE_BATCH) {
    const batch = tokens.slice(i, i + REVOKE_BATCH);
    const result = await ctx.tokenWriter.endLineage({
      ids: batch.map((t) => t.id),
      owner: user.id,
      at,
      // One event per token that stopped — its descendants too, which may sit in a later batch
      // (there, already ended, they are not ended or reported again).
      events: (_roots, stopped) =>
        stopped.flatMap((id) => {
          const t = byId.get(id);
          return t ? [tokenEvent("token.revoked", { ...t, username: user.username }, { revoked_at: new Date(at).toISOString(), revoked_descendants: [], reason: "user_deleted" }, at)] : [];
        }),
    });
    ended += result.ended.length;
  }
  ctx.webhooks.nudge();
  // Its own token policy goes with it (a scope, not a foreign key: the server's has no user).
  await ctx.db.tokenPolicy.deleteMany({ where: { scope: user.id } });
  await ctx.db.user.delete({ where: { id: user.id } });
  ctx.tokens.invalidate();
  // Followers of the revocation feed hear of it now (the revocations were appended by triggers).
  void ctx.revocations.sync();
  await recordAudit(ctx, { action: "user.delete", ...byCaller(ctx), detail: { deleted: user.username, tokens: ended } });
  return { username: user.username, tokensRevoked: ended };
}
