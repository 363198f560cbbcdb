-- Per-token rate limits and IP allowlists; the shared count of requests per token and window.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "rateLimitRequests" INTEGER,
ADD COLUMN "rateLimitSeconds" INTEGER,
ADD COLUMN "allowedIps" TEXT;

-- CreateTable
CREATE TABLE "TokenRateWindow" (
    "tokenId" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TokenRateWindow_pkey" PRIMARY KEY ("tokenId", "windowStart")
);

-- CreateIndex
CREATE INDEX "TokenRateWindow_windowStart_idx" ON "TokenRateWindow"("windowStart");
