import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { inForceWhere, type AccessToken } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { adminProcedure, createTRPCRouter } from "../../trpc.js";
import { username } from "../user/user.schema.js";
import { tokenId, tokenIdInput, toTokenView, type TokenView } from "../token/token.schema.js";
import { revokeManyHandler, revokeToken } from "../token/revoke.handler.js";
import { searchTokensFields } from "../token/search.schema.js";
import { searchTokens, type TokenSearchPage } from "../token/search.handler.js";
import { tokenDetailHandler } from "../token/detail.handler.js";

export type OwnedTokenView = TokenView & { username: string };

const noSuchUser = (name: string) => new TRPCError({ code: "NOT_FOUND", message: `No user named "${name}"` });

async function userIdOf(ctx: AuthedContext, name: string | undefined): Promise<string | null> {
  if (name === undefined) return null;
  const user = await ctx.db.user.findUnique({ where: { username: name }, select: { id: true } });
  if (!user) throw noSuchUser(name);
  return user.id;
}

/** Views of any users' tokens, each naming whose it is. */
async function owned(ctx: AuthedContext, records: AccessToken[], now: number): Promise<OwnedTokenView[]> {
  const ids = [...new Set(records.map((t) => t.userId))];
  const users = await ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
  const names = new Map(users.map((u) => [u.id, u.username]));
  return records.map((t) => ({ ...toTokenView(t, now), username: names.get(t.userId) ?? "" }));
}

/** Every user's tokens, for administrators (the dashboard's admin views and the admin CLI). */
export const adminRouter = createTRPCRouter({
  tokens: adminProcedure
    .input(z.object({ username: username.optional() }).default({}))
    .query(async ({ ctx, input }): Promise<OwnedTokenView[]> => {
      const now = new Date();
      const userId = await userIdOf(ctx, input.username);
      const tokens = await ctx.db.accessToken.findMany({
        where: { ...inForceWhere(now), ...(userId ? { userId } : {}) },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      });
      return owned(ctx, tokens, now.getTime());
    }),

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

  revokeMany: adminProcedure
    .input(z.object({ ids: z.array(tokenId).min(1, "give at least one id").max(100, "at most 100 at a time") }))
    .mutation(({ ctx, input }) => revokeManyHandler(ctx, input, null)),
});
