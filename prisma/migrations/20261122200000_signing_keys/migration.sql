-- Signing keys with ids, sealed with the master secret; tokens remember which key signed them.
-- (The HS256 secret of older releases is moved here, sealed, by the service on its first start.)

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "signingKeyId" TEXT;

-- CreateTable
CREATE TABLE "SigningKey" (
    "kid" TEXT NOT NULL PRIMARY KEY,
    "alg" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "publicJwk" TEXT,
    "sealedKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" DATETIME,
    "retiredAt" DATETIME
);

-- CreateIndex
CREATE INDEX "AccessToken_signingKeyId_expiresAt_idx" ON "AccessToken"("signingKeyId", "expiresAt");

-- CreateIndex
CREATE INDEX "SigningKey_state_idx" ON "SigningKey"("state");
