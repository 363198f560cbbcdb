import type { PrismaClient } from "../generated/postgres/client.js";
import type { AccountWriter } from "../contracts.js";

/** Account writes on PostgreSQL: one transaction each (its own pooled connection). */
export function createPostgresAccountWriter(prisma: PrismaClient): AccountWriter {
  return {
    async resetPassword(userId, passwordHash) {
      await prisma.$transaction([
        prisma.user.update({ where: { id: userId }, data: { passwordHash } }),
        prisma.session.deleteMany({ where: { userId } }),
        // Whoever knew the old password is no longer a known client: no budget of theirs outlives it.
        prisma.knownClient.deleteMany({ where: { userId } }),
      ]);
    },
  };
}
