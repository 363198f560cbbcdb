import { TRPCError } from "@trpc/server";
import { inForceWhere } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
import { TOKEN_NOT_FOUND, toTokenView, type TokenView } from "./token.schema.js";

/**
 * Gives one of the caller's tokens not yet revoked a new description, audited (old and new) in the
 * same transaction. Only the record changes: the JWT keeps the description it was signed with, and
 * nothing about what the token may do changes, so a token may rename tokens it may reach.
 */
export async function updateTokenHandler(ctx: AuthedContext, input: { id: string; description: string }): Promise<TokenView> {
  const now = new Date();
  const updated = await ctx.db.$transaction(async (tx) => {
    const where = { id: input.id, userId: ctx.caller.userId, ...inForceWhere(now) };
    const before = await tx.accessToken.findFirst({ where, select: { description: true } });
    if (!before) return null;
    if (before.description === input.description) return tx.accessToken.findFirst({ where });
    const { count } = await tx.accessToken.updateMany({ where, data: { description: input.description } });
    if (count === 0) return null;
    await tx.auditEvent.create({
      data: auditRow(ctx, { action: "token.update", ...byCaller(ctx), tokenId: input.id, detail: { from: before.description, to: input.description } }),
    });
    return tx.accessToken.findFirst({ where: { id: input.id } });
  });
  if (!updated) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  // Write-through: the next read of this token must see the new description.
  ctx.tokens.invalidate();
  return toTokenView(updated, now.getTime());
}
