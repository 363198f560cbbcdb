import { TRPCError } from "@trpc/server";
import { inForceWhere } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { TOKEN_NOT_FOUND } from "./token.schema.js";

/**
 * Marks a token in force as revoked (the row stays for the record); every later request with it is
 * refused. `owner` is the user whose token it must be, or null for any user's (administrators).
 */
export async function revokeToken(ctx: AuthedContext, id: string, owner: string | null): Promise<{ id: string }> {
  const now = new Date();
  const { count } = await ctx.db.accessToken.updateMany({
    where: { id, ...(owner === null ? {} : { userId: owner }), ...inForceWhere(now) },
    data: { revokedAt: now },
  });
  // Write-through: the very next request must not be served from the read cache.
  ctx.tokens.invalidate();
  if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  await recordAudit(ctx, { action: "token.revoke", ...byCaller(ctx), tokenId: id, ...(owner === null ? { detail: { byAdmin: true } } : {}) });
  return { id };
}

/** The caller revokes one of their own tokens; another user's is "not found". */
export function revokeTokenHandler(ctx: AuthedContext, input: { id: string }): Promise<{ id: string }> {
  return revokeToken(ctx, input.id, ctx.caller.userId);
}
