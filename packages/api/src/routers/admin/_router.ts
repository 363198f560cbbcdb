import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, createTRPCRouter } from "../../trpc.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { username } from "../user/user.schema.js";
import { tokenIdInput, toTokenView, TOKEN_NOT_FOUND, type TokenView } from "../token/token.schema.js";

/** Every user's tokens, for administrators (the dashboard's users page and the admin CLI). */
export const adminRouter = createTRPCRouter({
  tokens: adminProcedure
    .input(z.object({ username: username.optional() }).default({}))
    .query(async ({ ctx, input }): Promise<(TokenView & { username: string })[]> => {
      const now = new Date();
      if (input.username && !(await ctx.db.user.findUnique({ where: { username: input.username } }))) {
        throw new TRPCError({ code: "NOT_FOUND", message: `No user named "${input.username}"` });
      }
      const tokens = await ctx.db.accessToken.findMany({
        where: {
          OR: [{ revokedAt: null }, { revokedAt: { gt: now } }],
          ...(input.username ? { user: { username: input.username } } : {}),
        },
        include: { user: { select: { username: true } } },
        orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      });
      return tokens.map((t) => ({ ...toTokenView(t, now.getTime()), username: t.user.username }));
    }),

  revokeToken: adminProcedure.input(tokenIdInput).mutation(async ({ ctx, input }) => {
    const now = new Date();
    const { count } = await ctx.db.accessToken.updateMany({
      where: { id: input.id, OR: [{ revokedAt: null }, { revokedAt: { gt: now } }] },
      data: { revokedAt: now },
    });
    ctx.tokens.invalidate();
    if (count === 0) throw new TRPCError({ code: "NOT_FOUND", message: TOKEN_NOT_FOUND });
    await recordAudit(ctx, { action: "token.revoke", ...byCaller(ctx), tokenId: input.id, detail: { byAdmin: true } });
    return { id: input.id };
  }),
});
