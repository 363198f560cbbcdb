import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../context/index.js";
import { andThen, type MaybePromise } from "../../util/maybe-promise.js";
import { TOKEN_NOT_FOUND, toTokenView, type TokenView } from "./token.schema.js";

/** Another user's token is "not found", never "forbidden": existence must not leak. */
export function getTokenHandler(ctx: AuthedContext, input: { id: string }): MaybePromise<TokenView> {
  // A token reading itself: its row was read (and checked for changes) by this request's auth.
  return andThen(ctx.tokens.activeToken(input.id, ctx.caller.userId, ctx.caller.token?.id === input.id), (record) => {
    if (!record) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
    return toTokenView(record);
  });
}
