-- DPoP-bound tokens (RFC 9449): the thumbprint of the key a proof must be signed with, and the
-- proofs seen, so that each is accepted once across every instance and worker.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "DpopProof" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "DpopProof_expiresAt_idx" ON "DpopProof"("expiresAt");
