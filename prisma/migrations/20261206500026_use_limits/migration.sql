-- Use-limited tokens (jwt_token_max_uses): maxUses is fixed at create; usesLeft is spent by one
-- conditional UPDATE per allowed use ("usesLeft" = "usesLeft" - 1 WHERE "usesLeft" > 0), which
-- is what makes the count exact across workers and instances. Both null: no limit.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "maxUses" INTEGER;
ALTER TABLE "AccessToken" ADD COLUMN "usesLeft" INTEGER;
