-- Signing keys with ids, sealed with the master secret; tokens remember which key signed them.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "signingKeyId" TEXT;

-- CreateTable
CREATE TABLE "SigningKey" (
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "publicJwk" TEXT,
    "sealedKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" TIMESTAMPTZ(3),
    "retiredAt" TIMESTAMPTZ(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE INDEX "AccessToken_signingKeyId_expiresAt_idx" ON "AccessToken"("signingKeyId", "expiresAt");

-- CreateIndex
CREATE INDEX "SigningKey_state_idx" ON "SigningKey"("state");
