import type { PrismaClient } from "../generated/postgres/client.js";
import type { AttemptCounter } from "../contracts.js";
import { retryConflicts } from "./retry.js";

/**
 * Credential attempts on PostgreSQL, shared by every instance. One statement counts every key of
 * an attempt (tokensmith_take_attempts, see its migration): the row lock of a key that every guess
 * takes (a username) is held for that statement only, not across a transaction's round trips.
 * Keys are always taken in the same order (pair, address, username), so two attempts cannot
 * deadlock on them; if any is over its limit, none is counted.
 */
export function createPostgresAttemptCounter(prisma: PrismaClient): AttemptCounter {
  return {
    async take(limits, now) {
      const [over] = await retryConflicts(
        () => prisma.$queryRaw<{ over_key: string; over_reset_at: bigint }[]>`
          SELECT "over_key", "over_reset_at" FROM "tokensmith_take_attempts"(
            ${limits.map((l) => l.key)}::text[], ${limits.map((l) => l.limit)}::integer[], ${limits.map((l) => l.windowMs)}::bigint[], ${now}::bigint)`,
      );
      return over === undefined ? { ok: true } : { ok: false, retryAfterMs: Math.max(1, Number(over.over_reset_at) - now), key: over.over_key };
    },
    // One key per statement, each its own transaction: a settle then never holds one key's lock
    // while waiting for another's, so it cannot deadlock with a take (which holds several, in
    // order). One UPDATE of two keys did, as 500s, when sign-ins succeeded on several instances at once.
    async settle({ refund, clear }, now) {
      for (const key of refund) {
        await retryConflicts(() => prisma.$executeRaw`UPDATE "AuthAttempt" SET "count" = "count" - 1
          WHERE "key" = ${key} AND "count" > 0 AND "resetAt" > ${now}`);
      }
      for (const key of clear) await retryConflicts(() => prisma.$executeRaw`DELETE FROM "AuthAttempt" WHERE "key" = ${key}`);
    },
    prune: (now, batch) =>
      prisma.$executeRaw`DELETE FROM "AuthAttempt" WHERE "key" IN (SELECT "key" FROM "AuthAttempt" WHERE "resetAt" <= ${now} LIMIT ${batch})`,
  };
}
