-- Clients that gave a user's right password lately (an address, or a browser's device cookie),
-- kept as SHA-256 markers: a guess storm against the user limits strangers, not them.

-- CreateTable
CREATE TABLE "KnownClient" (
    "userId" TEXT NOT NULL,
    "marker" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KnownClient_pkey" PRIMARY KEY ("userId","marker")
);

-- CreateIndex
CREATE INDEX "KnownClient_userId_kind_expiresAt_idx" ON "KnownClient"("userId", "kind", "expiresAt");

-- AddForeignKey
ALTER TABLE "KnownClient" ADD CONSTRAINT "KnownClient_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
