import type { PrismaClient } from "../generated/postgres/client.js";
import type { AttemptCounter, AttemptOutcome } from "../contracts.js";
import { retryConflicts } from "./retry.js";

class OverLimit extends Error {
  constructor(readonly outcome: AttemptOutcome) {
    super("over limit");
  }
}

/**
 * Credential attempts on PostgreSQL, shared by every instance: one transaction upserts each key
 * (the row lock serialises concurrent attempts on a key) and rolls back if any is over its limit.
 * Keys are always taken in the same order (pair, address, username), so two attempts cannot
 * deadlock on them.
 */
export function createPostgresAttemptCounter(prisma: PrismaClient): AttemptCounter {
  return {
    async take(limits, now) {
      try {
        return await retryConflicts(() =>
          prisma.$transaction(async (tx) => {
            for (const { key, limit, windowMs } of limits) {
              const [row] = await tx.$queryRaw<{ count: number; resetAt: bigint }[]>`
                INSERT INTO "AuthAttempt" ("key", "count", "resetAt") VALUES (${key}, 1, ${now + windowMs})
                ON CONFLICT ("key") DO UPDATE SET
                  "count" = CASE WHEN "AuthAttempt"."resetAt" <= ${now} THEN 1 ELSE "AuthAttempt"."count" + 1 END,
                  "resetAt" = CASE WHEN "AuthAttempt"."resetAt" <= ${now} THEN ${now + windowMs} ELSE "AuthAttempt"."resetAt" END
                RETURNING "count", "resetAt"`;
              if (row!.count > limit) throw new OverLimit({ ok: false, retryAfterMs: Math.max(1, Number(row!.resetAt) - now), key });
            }
            return { ok: true } as const;
          }),
        );
      } catch (error) {
        if (error instanceof OverLimit) return error.outcome;
        throw error;
      }
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
