import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../trpc.js";
import { TOKEN_NOT_FOUND } from "./token.schema.js";

/** Marks the token revoked (the row stays for the record); every later request with it is refused. */
export async function revokeTokenHandler(ctx: AuthedContext, input: { id: string }): Promise<{ id: string }> {
  const { count } = await ctx.db.accessToken.updateMany({
    where: { id: input.id, userId: ctx.caller.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  // Write-through: the very next request must not be served from the read cache.
  ctx.tokens.invalidate();
  if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  return { id: input.id };
}
