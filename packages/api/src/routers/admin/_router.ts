import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { inForceWhere } from "@tokensmith/db";
import { adminProcedure, createTRPCRouter } from "../../trpc.js";
import { username } from "../user/user.schema.js";
import { findUserByName, ofUserNamed } from "../../auth/users.js";
import { tokenIdInput, toTokenView, type TokenView } from "../token/token.schema.js";
import { revokeToken } from "../token/revoke.handler.js";

/** Every user's tokens, for administrators (the dashboard's users page and the admin CLI). */
export const adminRouter = createTRPCRouter({
  tokens: adminProcedure
    .input(z.object({ username: username.optional() }).default({}))
    .query(async ({ ctx, input }): Promise<(TokenView & { username: string })[]> => {
      const now = new Date();
      if (input.username && !(await findUserByName(ctx.db, input.username, { id: true }))) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No user named "${input.username}"` });
      }
      const tokens = await ctx.db.accessToken.findMany({
        where: {
          ...inForceWhere(now),
          ...(input.username ? { user: ofUserNamed(input.username) } : {}),
        },
        include: { user: { select: { username: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      });
      return tokens.map((t) => ({ ...toTokenView(t, now.getTime()), username: t.user.username }));
    }),

  revokeToken: adminProcedure.input(tokenIdInput).mutation(({ ctx, input }) => revokeToken(ctx, input.id, null)),
});
