import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../trpc.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { TOKEN_NOT_FOUND } from "./token.schema.js";

/** Marks the token revoked (the row stays for the record); every later request with it is refused. */
export async function revokeTokenHandler(ctx: AuthedContext, input: { id: string }): Promise<{ id: string }> {
  const now = new Date();
  const { count } = await ctx.db.accessToken.updateMany({
    // Still in force: never revoked, or only scheduled to stop (a rotation's overlap).
    where: { id: input.id, userId: ctx.caller.userId, OR: [{ revokedAt: null }, { revokedAt: { gt: now } }] },
    data: { revokedAt: now },
  });
  // Write-through: the very next request must not be served from the read cache.
  ctx.tokens.invalidate();
  if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  await recordAudit(ctx, { action: "token.revoke", ...byCaller(ctx), tokenId: input.id });
  return { id: input.id };
}
