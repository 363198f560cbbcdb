import { TRPCError } from "@trpc/server";
import type { UseStore } from "@tokensmith/db";
import type { Services } from "../context/services.js";
import { tokenEvent } from "../webhooks/events.js";
import type { MaybePromise } from "../util/maybe-promise.js";
import type { Caller } from "./caller.js";

/**
 * Use-limited tokens (jwt_token_max_uses): the one place their rules live.
 *
 * - A use is a request the token was allowed to make: every other check (signature, record,
 *   allowlist, rate limit, endpoint) passed first, so a refused request spends none. REST and tRPC
 *   calls (each call of a tRPC batch, `/self` included), forward-auth checks and introspections of
 *   the token each spend one: all are uses of the protected API.
 * - Spent in the database by one conditional UPDATE (see UseStore): exact across workers and
 *   instances. The spend that leaves none writes `token.exhausted` to the outbox, once.
 * - Offline verifiers cannot count: the JWT carries `jwt_token_max_uses`, and @tokensmith/verify
 *   refuses a token that has it.
 * - A use-limited token's children get their uses from it (see takeForChild); rotation is refused
 *   (see assertRotatable): a replacement would refill the count.
 */
export const USES_EXHAUSTED_MESSAGE = "This token has no uses left";

export type UseContext = Pick<Services, "webhooks" | "usage"> & { uses: UseStore };

/** What a spend needs to know of the token. */
export interface UseLimitedToken {
  tokenId: string;
  maxUses: number | null;
  userId: string;
  username: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The outcome of a use: allowed with the uses left after it (null: no limit), or refused. */
export type SpentUse = { ok: true; usesLeft: number | null } | { ok: false };

const UNLIMITED: SpentUse = Object.freeze({ ok: true, usesLeft: null });
const EXHAUSTED: SpentUse = Object.freeze({ ok: false });

/** Spends `count` uses of the token; synchronous (and free) for a token without a limit. */
export function spendUses(ctx: UseContext, token: UseLimitedToken, count = 1): MaybePromise<SpentUse> {
  if (token.maxUses === null) return UNLIMITED;
  const exhausted = ({ description }: { description: string }) => [
    tokenEvent("token.exhausted", { id: token.tokenId, userId: token.userId, username: token.username, description, expiresAt: token.expiresAt }, { max_uses: token.maxUses }),
  ];
  return ctx.uses.spend(token.tokenId, count, exhausted).then((left): SpentUse => {
    if (left === null) return EXHAUSTED;
    if (left === 0) ctx.webhooks.nudge();
    return { ok: true, usesLeft: left };
  });
}

/** One use of a request already allowed everything else; a refusal is counted as unauthorized. */
export function spendUse(ctx: UseContext, token: UseLimitedToken): MaybePromise<SpentUse> {
  if (token.maxUses === null) return UNLIMITED;
  return (spendUses(ctx, token) as Promise<SpentUse>).then((spent) => {
    if (!spent.ok) ctx.usage.count(token.tokenId, "unauthorized");
    return spent;
  });
}

const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/**
 * A use-limited token creating a token: the child must be use-limited too, and its uses are taken
 * from the parent's now (given back if the child is not written), so a parent with n uses left
 * can never hand out more than n in all. Returns what to give back.
 */
export async function takeForChild(ctx: UseContext, parent: UseLimitedToken & { usesLeft?: number | null }, childMaxUses: number | undefined): Promise<() => Promise<void>> {
  const none = async () => {};
  if (parent.maxUses === null) return none;
  if (childMaxUses === undefined) {
    throw forbidden("This token is use-limited: a token it creates must set its own number of uses (jwt_token_max_uses), taken from this token's uses left");
  }
  const taken = await spendUses(ctx, parent, childMaxUses);
  if (!taken.ok) {
    throw forbidden(`This token has ${parent.usesLeft ?? "too few"} uses left: a token it creates may have at most that many`);
  }
  return () => ctx.uses.refund(parent.tokenId, childMaxUses);
}

/** Rotation would refill a use-limited token's count (or hand a use-limited caller an unlimited replacement): refused. */
export function assertRotatable(old: { maxUses: number | null }, caller: { maxUses: number | null } | undefined): void {
  if (old.maxUses !== null) throw forbidden("A use-limited token cannot be rotated: create a new token with the uses it needs");
  if (caller && caller.maxUses !== null) throw forbidden("A use-limited token cannot rotate tokens");
}

/** The token a Bearer check accepted, as a spend sees it. */
export const checkedToken = (jti: string, record: { maxUses: number | null; userId: string; username: string; expiresAt: number }): UseLimitedToken => ({
  tokenId: jti,
  maxUses: record.maxUses,
  userId: record.userId,
  username: record.username,
  expiresAt: record.expiresAt,
});

/** The request's own token, as a spend sees it. */
export const callerUse = (caller: Caller): UseLimitedToken => ({
  tokenId: caller.token!.id,
  maxUses: caller.token!.maxUses,
  userId: caller.userId,
  username: caller.username,
  expiresAt: caller.token!.expiresAt,
});

/** The request's own token: spends one use and keeps what is left on it (what `/self` shows); false when none was left. */
export function spendCallerUse(ctx: UseContext, caller: Caller): MaybePromise<boolean> {
  const token = caller.token;
  if (!token || token.maxUses === null) return true;
  return (spendUse(ctx, callerUse(caller)) as Promise<SpentUse>).then(
    (spent) => {
      if (spent.ok) token.usesLeft = spent.usesLeft;
      return spent.ok;
    },
  );
}
