-- Lists read a user's unrevoked tokens newest first: one index serves the filter and the order.
-- DropIndex
DROP INDEX "AccessToken_userId_revokedAt_idx";

-- CreateIndex
CREATE INDEX "AccessToken_userId_revokedAt_createdAt_idx" ON "AccessToken"("userId", "revokedAt", "createdAt");
