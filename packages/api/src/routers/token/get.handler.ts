import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../context/index.js";
import { TOKEN_NOT_FOUND, toTokenView, type TokenView } from "./token.schema.js";

/** Another user's token is "not found", never "forbidden": existence must not leak. */
export async function getTokenHandler(ctx: AuthedContext, input: { id: string }): Promise<TokenView> {
  // A token reading itself: its row was read (and checked for changes) by this request's auth.
  const record = await ctx.tokens.activeToken(input.id, ctx.caller.userId, ctx.caller.token?.id === input.id);
  if (!record) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
  return toTokenView(record);
}
