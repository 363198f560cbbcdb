import { createTRPCRouter, protectedProcedure } from "../../trpc.js";
import { createTokenInput, tokenIdInput } from "./token.schema.js";
import { createTokenHandler } from "./create.handler.js";
import { listTokensHandler } from "./list.handler.js";
import { getTokenHandler } from "./get.handler.js";
import { revokeTokenHandler } from "./revoke.handler.js";

export const tokenRouter = createTRPCRouter({
  create: protectedProcedure.input(createTokenInput).mutation(({ ctx, input }) => createTokenHandler(ctx, input)),
  list: protectedProcedure.query(({ ctx }) => listTokensHandler(ctx)),
  get: protectedProcedure.input(tokenIdInput).query(({ ctx, input }) => getTokenHandler(ctx, input)),
  revoke: protectedProcedure.input(tokenIdInput).mutation(({ ctx, input }) => revokeTokenHandler(ctx, input)),
});
