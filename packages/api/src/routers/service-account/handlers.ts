import { TRPCError } from "@trpc/server";
import { inForceWhere } from "@tokensmith/db";
import { randomSecret } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";
import { byCaller, recordAudit } from "../../audit/record.js";
import { findUserByName, isServiceAccount } from "../../auth/users.js";
import { createTokenHandler, type CreatedToken } from "../token/create.handler.js";
import { revokeToken } from "../token/revoke.handler.js";
import { toTokenView, type TokenView } from "../token/token.schema.js";
import { actingFor, findServiceAccount, serviceAccountFor } from "./access.js";
import type { ServiceAccountView } from "./service-account.schema.js";

/**
 * Stored where a password hash goes: no hash of ours or Specter's has this form, so no password
 * verifies against it — and the password check refuses a service account before it looks.
 */
const NO_PASSWORD = () => `!service-account:${randomSecret()}`;

export async function createServiceAccount(ctx: AuthedContext, input: { name: string; description: string }): Promise<ServiceAccountView> {
  const taken = (name: string) => new TRPCError({ code: "CONFLICT", message: `An account named "${name}" already exists (names are the same in any case)` });
  const existing = await findUserByName(ctx.db, input.name, { username: true });
  if (existing) throw taken(existing.username);
  const account = await ctx.db.user
    .create({ data: { username: input.name, passwordHash: NO_PASSWORD(), accountType: "service", description: input.description } })
    .catch((error: unknown) => {
      throw (error as { code?: unknown }).code === "P2002" ? taken(input.name) : error;
    });
  await recordAudit(ctx, { action: "service_account.create", ...byCaller(ctx), detail: { account: account.username, accountId: account.id } });
  return { id: account.id, name: account.username, description: input.description, createdAt: account.createdAt.toISOString(), managers: [], activeTokens: 0 };
}

/** Administrators see every service account; a manager, the ones they manage. */
export async function listServiceAccounts(ctx: AuthedContext): Promise<ServiceAccountView[]> {
  const accounts = await ctx.db.user.findMany({
    where: { accountType: "service", ...(ctx.caller.isAdmin ? {} : { managers: { some: { userId: ctx.caller.userId } } }) },
    orderBy: { username: "asc" },
    include: {
      managers: { include: { user: { select: { username: true } } } },
      _count: { select: { tokens: { where: inForceWhere() } } },
    },
  });
  return accounts.map((a) => ({
    id: a.id,
    name: a.username,
    description: a.description ?? "",
    createdAt: a.createdAt.toISOString(),
    managers: a.managers.map((m) => m.user.username).sort(),
    activeTokens: a._count.tokens,
  }));
}

/** Names a person as a manager of a service account, or takes the role away (`grant: false`). */
export async function setManager(ctx: AuthedContext, input: { name: string; manager: string }, grant: boolean): Promise<{ name: string; managers: string[] }> {
  const account = await findServiceAccount(ctx, input.name);
  const person = await findUserByName(ctx.db, input.manager);
  if (!person || isServiceAccount(person)) throw new TRPCError({ code: "NOT_FOUND", message: `No person named "${input.manager}" (a service account cannot manage one)` });
  const key = { accountId: account.id, userId: person.id };
  if (grant) await ctx.db.serviceAccountManager.upsert({ where: { accountId_userId: key }, create: key, update: {} });
  else await ctx.db.serviceAccountManager.deleteMany({ where: key });
  await recordAudit(ctx, {
    action: grant ? "service_account.manager_add" : "service_account.manager_remove",
    ...byCaller(ctx),
    detail: { account: account.username, manager: person.username },
  });
  const managers = await ctx.db.serviceAccountManager.findMany({ where: { accountId: account.id }, include: { user: { select: { username: true } } } });
  return { name: account.username, managers: managers.map((m) => m.user.username).sort() };
}

/** A token owned by the service account, issued by an administrator or one of its managers. */
export async function issueServiceToken(ctx: AuthedContext, input: Parameters<typeof createTokenHandler>[1] & { name: string }): Promise<CreatedToken> {
  const account = await serviceAccountFor(ctx, input.name);
  const { name: _name, ...token } = input;
  return createTokenHandler(actingFor(ctx, account), token);
}

export async function serviceTokens(ctx: AuthedContext, input: { name: string }): Promise<TokenView[]> {
  const account = await serviceAccountFor(ctx, input.name);
  const now = new Date();
  const tokens = await ctx.db.accessToken.findMany({
    where: { userId: account.id, ...inForceWhere(now) },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return tokens.map((t) => toTokenView(t, now.getTime()));
}

/** Revokes one of the service account's tokens (and what it created); another account's is 404. */
export async function revokeServiceToken(ctx: AuthedContext, input: { name: string; id: string }): Promise<{ id: string }> {
  const account = await serviceAccountFor(ctx, input.name);
  const { id } = await revokeToken(ctx, input.id, account.id);
  return { id };
}
