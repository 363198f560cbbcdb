import { TRPCError } from "@trpc/server";
import { invalidField } from "../field-error.js";
import { hashPassword } from "@tokensmith/core";
import { inForceWhere } from "@tokensmith/db";
import { adminProcedure, createTRPCRouter, passwordAdminProcedure } from "../../trpc.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { createUserInput, resetPasswordInput, usernameInput, type UserView } from "./user.schema.js";

const notFound = (username: string) => new TRPCError({ code: "NOT_FOUND", message: `No user named "${username}"` });

/** Administrators manage users (with a password, not a token); everyone else gets 403. */
export const userRouter = createTRPCRouter({
  list: adminProcedure.query(async ({ ctx }): Promise<UserView[]> => {
    const users = await ctx.db.user.findMany({
      orderBy: { username: "asc" },
      include: { _count: { select: { tokens: { where: inForceWhere() } } } },
    });
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      isAdmin: u.isAdmin,
      createdAt: u.createdAt.toISOString(),
      activeTokens: u._count.tokens,
    }));
  }),

  create: passwordAdminProcedure.input(createUserInput).mutation(async ({ ctx, input }) => {
    if (await ctx.db.user.findUnique({ where: { username: input.username } })) {
      throw new TRPCError({ code: "CONFLICT", message: `A user named "${input.username}" already exists` });
    }
    const user = await ctx.db.user.create({
      data: { username: input.username, passwordHash: await hashPassword(input.password), isAdmin: input.isAdmin },
    });
    await recordAudit(ctx, { action: "user.create", ...byCaller(ctx), detail: { created: user.username, isAdmin: user.isAdmin } });
    return { id: user.id, username: user.username, isAdmin: user.isAdmin };
  }),

  /** Deleting a user deletes their tokens and sessions with them: every one is refused from then on. */
  remove: passwordAdminProcedure.input(usernameInput).mutation(async ({ ctx, input }) => {
    if (input.username === ctx.caller.username) throw invalidField("username", "You cannot delete yourself");
    const user = await ctx.db.user.findUnique({ where: { username: input.username } });
    if (!user) throw notFound(input.username);
    const tokens = await ctx.db.accessToken.count({ where: { userId: user.id } });
    await ctx.db.user.delete({ where: { id: user.id } });
    ctx.tokens.invalidate();
    // Their tokens in force enter the revocation feed (a trigger did it); followers hear of it now.
    void ctx.revocations.sync();
    await recordAudit(ctx, { action: "user.delete", ...byCaller(ctx), detail: { deleted: user.username, tokens } });
    return { username: user.username, tokensRevoked: tokens };
  }),

  /** A new password ends the user's dashboard sessions; their tokens stay valid. */
  resetPassword: passwordAdminProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.user.findUnique({ where: { username: input.username } });
    if (!user) throw notFound(input.username);
    await ctx.accounts.resetPassword(user.id, await hashPassword(input.password));
    await recordAudit(ctx, { action: "user.password_reset", ...byCaller(ctx), detail: { user: user.username } });
    return { username: user.username };
  }),
});
