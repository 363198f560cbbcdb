-- Allowed endpoints (JSON array of "METHOD /path" patterns; NULL = all), last-used IP,
-- rotation (a family shares the id of its first token), and the audit log.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "endpoints" TEXT;
ALTER TABLE "AccessToken" ADD COLUMN "lastUsedIp" TEXT;
ALTER TABLE "AccessToken" ADD COLUMN "familyId" TEXT;
ALTER TABLE "AccessToken" ADD COLUMN "rotatedAt" DATETIME;
ALTER TABLE "AccessToken" ADD COLUMN "replacedById" TEXT;

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "userId" TEXT,
    "username" TEXT,
    "tokenId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "detail" TEXT
);

-- CreateIndex
CREATE INDEX "AccessToken_familyId_idx" ON "AccessToken"("familyId");

-- CreateIndex
CREATE INDEX "AuditEvent_userId_id_idx" ON "AuditEvent"("userId", "id");
