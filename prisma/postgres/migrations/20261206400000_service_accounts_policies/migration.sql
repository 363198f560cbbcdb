-- Service accounts (non-human accounts that never sign in; administrators and the managers they
-- name issue their tokens) and administrators' token policies (server-wide and per account).

-- AlterTable
ALTER TABLE "User" ADD COLUMN "accountType" TEXT NOT NULL DEFAULT 'person';
ALTER TABLE "User" ADD COLUMN "description" TEXT;

-- CreateTable
CREATE TABLE "ServiceAccountManager" (
    "accountId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceAccountManager_pkey" PRIMARY KEY ("accountId","userId")
);

-- CreateTable
CREATE TABLE "TokenPolicy" (
    "scope" TEXT NOT NULL,
    "maxLifeSeconds" INTEGER,
    "requireEndpoints" BOOLEAN,
    "requireAllowedIps" BOOLEAN,
    "maxRateRequests" INTEGER,
    "maxRateSeconds" INTEGER,
    "allowRotationOverlap" BOOLEAN,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TokenPolicy_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "ServiceAccountManager_userId_idx" ON "ServiceAccountManager"("userId");

-- AddForeignKey
ALTER TABLE "ServiceAccountManager" ADD CONSTRAINT "ServiceAccountManager_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ServiceAccountManager" ADD CONSTRAINT "ServiceAccountManager_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
