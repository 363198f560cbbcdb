-- DPoP-bound tokens (RFC 9449): the thumbprint of the key a proof must be signed with, and the
-- proofs seen, so that each is accepted once across every instance.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "DpopProof" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DpopProof_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "DpopProof_expiresAt_idx" ON "DpopProof"("expiresAt");
