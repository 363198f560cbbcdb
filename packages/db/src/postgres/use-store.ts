import type { PrismaClient } from "../generated/postgres/client.js";
import type { UseStore } from "../use-contracts.js";
import { writeEvents } from "./token-writer.js";

/**
 * Uses of use-limited tokens on PostgreSQL: one conditional UPDATE. Concurrent spends on one token
 * queue on its row lock and each re-reads "usesLeft" after the one before commits (READ
 * COMMITTED), so exactly as many succeed as were left, across every instance. The spend that
 * leaves none writes its webhook event in the same transaction.
 */
export function createPostgresUseStore(prisma: PrismaClient): UseStore {
  return {
    spend: (tokenId, count, exhausted) =>
      prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRaw<Array<{ usesLeft: number; description: string }>>`
          UPDATE "AccessToken" SET "usesLeft" = "usesLeft" - ${count}::integer
           WHERE "id" = ${tokenId} AND "usesLeft" >= ${count}::integer
          RETURNING "usesLeft", "description"`;
        if (!row) return null;
        if (row.usesLeft === 0) await writeEvents(tx, exhausted(row));
        return row.usesLeft;
      }),
    refund: async (tokenId, count) => {
      await prisma.$executeRaw`
        UPDATE "AccessToken" SET "usesLeft" = LEAST("usesLeft" + ${count}::integer, "maxUses")
         WHERE "id" = ${tokenId} AND "usesLeft" IS NOT NULL`;
    },
  };
}
