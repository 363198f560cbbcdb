import type { AuthedContext } from "../../context/index.js";
import { toTokenView, type TokenView } from "./token.schema.js";

/** The caller's own unrevoked tokens, newest first; expired ones stay listed with status Expired. */
export async function listTokensHandler(ctx: AuthedContext): Promise<TokenView[]> {
  const records = await ctx.tokens.activeTokens(ctx.caller.userId);
  const now = Date.now();
  return records.map((record) => toTokenView(record, now));
}
