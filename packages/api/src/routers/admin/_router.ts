import { z } from "zod";
import { inForceWhere } from "@tokensmith/db";
import { adminProcedure, createTRPCRouter } from "../../trpc.js";
import { username } from "../user/user.schema.js";
import { tokenId, tokenIdInput } from "../token/token.schema.js";
import { revokeManyHandler, revokeToken } from "../token/revoke.handler.js";
import { searchTokensFields } from "../token/search.schema.js";
import { searchTokens, type TokenSearchPage } from "../token/search.handler.js";
import { tokenDetailHandler } from "../token/detail.handler.js";
import { allTokens, idPrefix, owned, tokensByIdPrefix, userIdOf, type OwnedTokenView } from "./admin-tokens.js";
import { changePause } from "../token/pause.handler.js";

export type { OwnedTokenView } from "./admin-tokens.js";

const LIST_STATES = ["all", "in_force", "active", "inactive", "valid", "expiring", "expired", "revoked"] as const;

/** Every user's tokens, for administrators (the dashboard's admin views and the admin CLI). */
export const adminRouter = createTRPCRouter({
  /** Every token of every user (or of one), newest first; by default those in force (not revoked). */
  tokens: adminProcedure
    .input(z.object({ username: username.optional(), state: z.enum(LIST_STATES).optional() }).default({}))
    .query(async ({ ctx, input }): Promise<OwnedTokenView[]> => {
      const userId = await userIdOf(ctx, input.username);
      if (input.state) return allTokens(ctx, userId, input.state);
      const now = new Date();
      const tokens = await ctx.db.accessToken.findMany({
        where: { ...inForceWhere(now), ...(userId ? { userId } : {}) },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      });
      return owned(ctx, tokens, now.getTime());
    }),

  /** Tokens whose id starts with `prefix` (up to 10): the CLI takes the 8 characters the dashboard shows. */
  tokensByIdPrefix: adminProcedure.input(z.object({ prefix: idPrefix })).query(({ ctx, input }) => tokensByIdPrefix(ctx, input.prefix)),

  /** The dashboard's list over every user's tokens, or one user's (`username`). */
  searchTokens: adminProcedure
    .input(searchTokensFields.extend({ username: username.optional() }).prefault({}))
    .query(async ({ ctx, input }): Promise<TokenSearchPage<OwnedTokenView>> => {
      const { records, now, ...page } = await searchTokens(ctx, input, await userIdOf(ctx, input.username));
      return { ...page, tokens: await owned(ctx, records, now), now: new Date(now).toISOString() };
    }),

  /** Any user's token in detail. */
  tokenDetail: adminProcedure.input(tokenIdInput).query(({ ctx, input }) => tokenDetailHandler(ctx, input, null)),

  revokeToken: adminProcedure.input(tokenIdInput).mutation(({ ctx, input }) => revokeToken(ctx, input.id, null)),
  pauseToken: adminProcedure.input(tokenIdInput).mutation(({ ctx, input }) => changePause(ctx, input.id, null, "pause")),
  resumeToken: adminProcedure.input(tokenIdInput).mutation(({ ctx, input }) => changePause(ctx, input.id, null, "resume")),

  revokeMany: adminProcedure
    .input(z.object({ ids: z.array(tokenId).min(1, "give at least one id").max(100, "at most 100 at a time") }))
    .mutation(({ ctx, input }) => revokeManyHandler(ctx, input, null)),
});
