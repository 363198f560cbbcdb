import type { PrismaClient } from "../generated/postgres/client.js";
import type { DpopProofStore } from "../contracts.js";

/**
 * DPoP proofs seen, on PostgreSQL: one INSERT … ON CONFLICT DO NOTHING. The primary key decides
 * between instances presenting one proof at once: exactly one inserts the row.
 */
export function createPostgresDpopProofStore(prisma: PrismaClient): DpopProofStore {
  return {
    claim: async (key, expiresAt) => {
      const inserted = await prisma.$executeRaw`
        INSERT INTO "DpopProof" ("key", "expiresAt") VALUES (${key}, ${new Date(expiresAt)}::timestamptz) ON CONFLICT ("key") DO NOTHING`;
      return inserted === 1;
    },
    prune: (now, batch) => prisma.$executeRaw`
      DELETE FROM "DpopProof" WHERE "key" IN (
        SELECT "key" FROM "DpopProof" WHERE "expiresAt" <= ${new Date(now)}::timestamptz ORDER BY "expiresAt" LIMIT ${batch}::integer)`,
  };
}
