import { TRPCError } from "@trpc/server";
import { hashPassword } from "@tokensmith/core";
import { inForceWhere } from "@tokensmith/db";
import { adminProcedure, createTRPCRouter, passwordAdminProcedure } from "../../trpc.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { createUserInput, resetPasswordInput, setIntrospectionInput, usernameInput, type UserView } from "./user.schema.js";
import { introspectsAnyToken } from "../../auth/introspection-policy.js";
import { removeUserHandler } from "./remove.handler.js";
import { findUserByName, isServiceAccount } from "../../auth/users.js";
import { invalidField } from "../field-error.js";

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
      accountType: isServiceAccount(u) ? "service" : "person",
      introspect: introspectsAnyToken({ userId: u.id, isAdmin: u.isAdmin, introspectAny: u.introspectAny }) ? "any" : "own",
      createdAt: u.createdAt.toISOString(),
      activeTokens: u._count.tokens,
    }));
  }),

  create: passwordAdminProcedure.input(createUserInput).mutation(async ({ ctx, input }) => {
    const taken = (name: string) => new TRPCError({ code: "CONFLICT", message: `A user named "${name}" already exists (names are the same in any case)` });
    const existing = await findUserByName(ctx.db, input.username, { username: true });
    if (existing) throw taken(existing.username);
    const passwordHash = await hashPassword(input.password);
    // The database's unique key decides a race between two creates of one name.
    const user = await ctx.db.user.create({ data: { username: input.username, passwordHash, isAdmin: input.isAdmin } }).catch((error: unknown) => {
      throw (error as { code?: unknown }).code === "P2002" ? taken(input.username) : error;
    });
    await recordAudit(ctx, { action: "user.create", ...byCaller(ctx), detail: { created: user.username, isAdmin: user.isAdmin } });
    return { id: user.id, username: user.username, isAdmin: user.isAdmin };
  }),

  /** Deleting a user ends their tokens (with token.revoked events) and deletes them with their sessions. */
  remove: passwordAdminProcedure.input(usernameInput).mutation(({ ctx, input }) => removeUserHandler(ctx, input)),

  /**
   * Whether a user may introspect every user's tokens (and report where they were presented), as a
   * resource server's account does; "own" takes it back. A durable power: a password, not a token.
   * Administrators always may.
   */
  setIntrospection: passwordAdminProcedure.input(setIntrospectionInput).mutation(async ({ ctx, input }) => {
    const user = await findUserByName(ctx.db, input.username);
    if (!user) throw notFound(input.username);
    await ctx.db.user.update({ where: { id: user.id }, data: { introspectAny: input.introspect === "any" } });
    // Cached token rows carry the grant: dropped here, and answered once every instance has too.
    ctx.tokens.invalidate();
    await ctx.tokens.settled();
    await recordAudit(ctx, { action: "user.introspection", ...byCaller(ctx), detail: { user: user.username, introspect: input.introspect } });
    return { username: user.username, introspect: input.introspect };
  }),

  /** A new password ends the user's dashboard sessions; their tokens stay valid. */
  resetPassword: passwordAdminProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    const user = await findUserByName(ctx.db, input.username);
    if (!user) throw notFound(input.username);
    if (isServiceAccount(user)) throw invalidField("username", "is a service account: it has no password and never signs in");
    await ctx.accounts.resetPassword(user.id, await hashPassword(input.password));
    await recordAudit(ctx, { action: "user.password_reset", ...byCaller(ctx), detail: { user: user.username } });
    return { username: user.username };
  }),
});
