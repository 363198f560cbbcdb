import { createTRPCRouter, protectedProcedure } from "../../trpc.js";
import { createTokenInput, rotateTokenInput, tokenIdInput } from "./token.schema.js";
import { createTokenHandler } from "./create.handler.js";
import { listTokensHandler } from "./list.handler.js";
import { getTokenHandler } from "./get.handler.js";
import { revokeTokenHandler } from "./revoke.handler.js";
import { rotateTokenHandler } from "./rotate.handler.js";
import { revokeSelfHandler, selfHandler } from "./self.handler.js";

/** The REST route each procedure stands for, so one allowed-endpoint pattern governs both. */
const idOf = (input: unknown) => String((input as { id?: unknown } | undefined)?.id ?? "");
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
