import type { AuthedContext } from "../../trpc.js";
import { toTokenView, type TokenView } from "./token.schema.js";

/** The caller's own unrevoked tokens, newest first; expired ones stay listed with status Expired. */
export async function listTokensHandler(ctx: AuthedContext): Promise<TokenView[]> {
  const records = await ctx.db.accessToken.findMany({
    where: { userId: ctx.caller.userId, revokedAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  const now = Date.now();
  return records.map((record) => toTokenView(record, now));
}
