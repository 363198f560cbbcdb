import { TRPCError } from "@trpc/server";
import type { User } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { findUserByName, isServiceAccount } from "../../auth/users.js";

const notFound = (name: string) => new TRPCError({ code: "NOT_FOUND", message: `No service account named "${name}"` });

/** The service account a name means (any case), or 404: a person's name is not one. */
export async function findServiceAccount(ctx: AuthedContext, name: string): Promise<User> {
  const account = await findUserByName(ctx.db, name);
  if (!account || !isServiceAccount(account)) throw notFound(name);
  return account;
}

/**
 * May the caller act for this service account (issue, list and revoke its tokens)? An
 * administrator, or a person an administrator named as its manager — read now, at every call, so
 * a manager whose role was taken away is refused at once. Never with a token: a leaked token must
 * not mint credentials that outlive it (the same rule as managing users). Someone who may not act
 * learns nothing: an unknown account and another's look the same (404).
 */
export async function serviceAccountFor(ctx: AuthedContext, name: string): Promise<User> {
  if (ctx.caller.via === "bearer") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Acting for a service account needs a password (dashboard sign-in, HTTP Basic or the CLI); a token cannot do it",
    });
  }
  const account = await findUserByName(ctx.db, name);
  if (!account || !isServiceAccount(account)) throw notFound(name);
  if (ctx.caller.isAdmin) return account;
  const manager = await ctx.db.serviceAccountManager.findUnique({
    where: { accountId_userId: { accountId: account.id, userId: ctx.caller.userId } },
  });
  if (!manager) throw notFound(name);
  return account;
}

/**
 * The context a service account's token is issued in: the account is the owner, the person who
 * issued it is recorded (audit detail `issuedBy`). No token is the parent (it was a password), so
 * the token outlives the person who made it.
 */
export function actingFor(ctx: AuthedContext, account: User): AuthedContext {
  return {
    ...ctx,
    caller: {
      userId: account.id,
      username: account.username,
      isAdmin: false,
      via: ctx.caller.via,
      issuedBy: { userId: ctx.caller.userId, username: ctx.caller.username },
    },
  };
}
