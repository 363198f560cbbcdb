import { TRPCError } from "@trpc/server";
import { z } from "zod";
import type { AccessToken, TokenStateFilter } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { findUserByName, isServiceAccount } from "../../auth/users.js";
import { toTokenView, type TokenView } from "../token/token.schema.js";

/** `accountType` sets a service account's tokens apart from a person's in the admin views. */
export type OwnedTokenView = TokenView & { username: string; accountType: "person" | "service" };

/** The user's id, or null for no user named; an unknown name is 404. */
export async function userIdOf(ctx: AuthedContext, name: string | undefined): Promise<string | null> {
  if (name === undefined) return null;
  const user = await findUserByName(ctx.db, name, { id: true });
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `No user named "${name}"` });
  return user.id;
}

/** Views of any users' tokens, each naming whose it is. */
export async function owned(ctx: AuthedContext, records: AccessToken[], now: number): Promise<OwnedTokenView[]> {
  const ids = [...new Set(records.map((t) => t.userId))];
  const users = await ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true, accountType: true } });
  const owners = new Map(users.map((u) => [u.id, u]));
  return records.map((t) => {
    const owner = owners.get(t.userId);
    return { ...toTokenView(t, now), username: owner?.username ?? "", accountType: owner && isServiceAccount(owner) ? "service" : "person" };
  });
}

const PAGE = 1000;

/** Every token of one user (or all users) in a state, newest first: the CLI's list, read a page at a time. */
export async function allTokens(ctx: AuthedContext, userId: string | null, state: TokenStateFilter): Promise<OwnedTokenView[]> {
  const now = Date.now();
  const records: AccessToken[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await ctx.tokens.search({ userId, state, sort: "created", order: "desc", offset, limit: PAGE, now });
    records.push(...page.tokens);
    if (page.tokens.length < PAGE) break;
  }
  return owned(ctx, records, now);
}

/** The start of a token id as the dashboard shows it (8 characters), or any longer part of it. */
export const idPrefix = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f][0-9a-f-]{3,35}$/, "must be the start of a token id: at least 4 of its characters (the dashboard shows 8)");

/** Tokens (any user's) whose id starts with `prefix`: up to `limit`, so a caller can tell one from several. */
export async function tokensByIdPrefix(ctx: AuthedContext, prefix: string, limit = 10): Promise<OwnedTokenView[]> {
  const records = await ctx.db.accessToken.findMany({ where: { id: { startsWith: prefix } }, orderBy: { id: "asc" }, take: limit });
  return owned(ctx, records, Date.now());
}
