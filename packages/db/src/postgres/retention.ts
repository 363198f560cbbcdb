import type { PrismaClient } from "../generated/postgres/client.js";
import type { PruneResult, RetentionStore } from "../contracts.js";
import { retryConflicts } from "./retry.js";

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Retention on PostgreSQL. Each batch is one short transaction that first takes a transaction-level
 * advisory lock without waiting: while one instance prunes, the others find it taken, answer
 * "busy" and leave the work to it. Deletes are idempotent anyway; the lock only spares instances
 * from racing for the same rows.
 */
export function createPostgresRetentionStore(prisma: PrismaClient): RetentionStore {
  const exclusively = (work: (tx: Tx) => Promise<number>): Promise<PruneResult> =>
    retryConflicts(() =>
      prisma.$transaction(async (tx) => {
        // A constant key of its own (migrations use …004, the revocation feed …005).
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(7290113007) AS "locked"`;
        return lock?.locked ? work(tx) : ("busy" as const);
      }),
    );

  return {
    deleteExpiredSessions: (now, batch) =>
      exclusively((tx) => tx.$executeRaw`
        DELETE FROM "Session" WHERE "id" IN (SELECT "id" FROM "Session" WHERE "expiresAt" <= ${new Date(now)} LIMIT ${batch})`),
    deleteAuditEvents: (before, batch) =>
      exclusively((tx) => tx.$executeRaw`
        DELETE FROM "AuditEvent" WHERE "id" IN (SELECT "id" FROM "AuditEvent" WHERE "at" < ${new Date(before)} LIMIT ${batch})`),
    // One statement: the tokens (two index range scans, not one OR), then what hangs off the ones
    // deleted. The rule is repeated on the DELETE itself: no token whose JWT still verifies goes.
    deleteEndedTokens: (endedBefore, now, batch) =>
      exclusively(async (tx) => {
        const [row] = await tx.$queryRaw<{ deleted: number }[]>`
          WITH candidates AS (
            (SELECT "id" FROM "AccessToken" WHERE "expiresAt" <= ${new Date(endedBefore)} LIMIT ${batch})
            UNION
            (SELECT "id" FROM "AccessToken" WHERE "revokedAt" <= ${new Date(endedBefore)} AND "expiresAt" <= ${new Date(now)} LIMIT ${batch})
          ), doomed AS (
            DELETE FROM "AccessToken"
             WHERE "id" IN (SELECT "id" FROM candidates LIMIT ${batch})
               AND "expiresAt" <= ${new Date(now)}
               AND ("expiresAt" <= ${new Date(endedBefore)} OR "revokedAt" <= ${new Date(endedBefore)})
            RETURNING "id"
          ), usage AS (
            DELETE FROM "TokenUsage" WHERE "tokenId" IN (SELECT "id" FROM doomed)
          ), feed AS (
            DELETE FROM "TokenRevocation" WHERE "tokenId" IN (SELECT "id" FROM doomed)
          )
          SELECT count(*)::int AS "deleted" FROM doomed`;
        return row?.deleted ?? 0;
      }),
    deleteUsageBefore: (before, batch) =>
      exclusively((tx) => tx.$executeRaw`
        DELETE FROM "TokenUsage" WHERE ("tokenId", "hour") IN (SELECT "tokenId", "hour" FROM "TokenUsage" WHERE "hour" < ${new Date(before)} LIMIT ${batch})`),
  };
}
