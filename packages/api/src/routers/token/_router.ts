import { createTRPCRouter, protectedProcedure } from "../../trpc.js";
import { TRPCError } from "@trpc/server";
import { createTokenInput, rotateTokenInput, tokenId, tokenIdInput } from "./token.schema.js";
import { createTokenHandler } from "./create.handler.js";
import { listTokensHandler } from "./list.handler.js";
import { getTokenHandler } from "./get.handler.js";
import { revokeTokenHandler } from "./revoke.handler.js";
import { rotateTokenHandler } from "./rotate.handler.js";
import { revokeSelfHandler, selfHandler } from "./self.handler.js";

/**
 * The REST route each procedure stands for, so one allowed-endpoint pattern governs both. The id is
 * validated before it is matched against any pattern: only a UUID ever reaches the matcher.
 */
function idOf(input: unknown): string {
  const parsed = tokenId.safeParse((input as { id?: unknown } | undefined)?.id);
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", message: "id: must be a UUID" });
  return parsed.data;
}
const rest = (method: string, path: (input: unknown) => string = () => "") => ({
  endpoint: (input: unknown) => `${method} /v1alpha/token/${path(input)}`,
});

export const tokenRouter = createTRPCRouter({
  create: protectedProcedure
    .meta(rest("POST"))
    .input(createTokenInput)
    .mutation(({ ctx, input }) => createTokenHandler(ctx, input)),
  list: protectedProcedure.meta(rest("GET")).query(({ ctx }) => listTokensHandler(ctx)),
  get: protectedProcedure
    .meta(rest("GET", idOf))
    .input(tokenIdInput)
    .query(({ ctx, input }) => getTokenHandler(ctx, input)),
  revoke: protectedProcedure
    .meta(rest("DELETE", idOf))
    .input(tokenIdInput)
    .mutation(({ ctx, input }) => revokeTokenHandler(ctx, input)),
  rotate: protectedProcedure
    .meta(rest("POST", (input) => `${idOf(input)}/rotate`))
    .input(rotateTokenInput)
    .mutation(({ ctx, input }) => rotateTokenHandler(ctx, input)),
  self: protectedProcedure.meta(rest("GET", () => "self")).query(({ ctx }) => selfHandler(ctx)),
  revokeSelf: protectedProcedure.meta(rest("DELETE", () => "self")).mutation(({ ctx }) => revokeSelfHandler(ctx)),
});
