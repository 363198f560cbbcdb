-- Service accounts (non-human accounts that never sign in; administrators and the managers they
-- name issue their tokens) and administrators' token policies (server-wide and per account).

-- AlterTable
ALTER TABLE "User" ADD COLUMN "accountType" TEXT NOT NULL DEFAULT 'person';
ALTER TABLE "User" ADD COLUMN "description" TEXT;

-- CreateTable
CREATE TABLE "ServiceAccountManager" (
    "accountId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("accountId", "userId"),
    CONSTRAINT "ServiceAccountManager_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ServiceAccountManager_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TokenPolicy" (
    "scope" TEXT NOT NULL PRIMARY KEY,
    "maxLifeSeconds" INTEGER,
    "requireEndpoints" BOOLEAN,
    "requireAllowedIps" BOOLEAN,
    "maxRateRequests" INTEGER,
    "maxRateSeconds" INTEGER,
    "allowRotationOverlap" BOOLEAN,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ServiceAccountManager_userId_idx" ON "ServiceAccountManager"("userId");
