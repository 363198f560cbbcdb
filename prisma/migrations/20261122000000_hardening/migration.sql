-- Lineage: the token whose Bearer request created a token (ending a token ends its descendants),
-- and credential attempts counted per key before a password is checked.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "parentId" TEXT;

-- CreateTable
CREATE TABLE "AuthAttempt" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "resetAt" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "AccessToken_parentId_idx" ON "AccessToken"("parentId");

-- CreateIndex
CREATE INDEX "AuthAttempt_resetAt_idx" ON "AuthAttempt"("resetAt");
