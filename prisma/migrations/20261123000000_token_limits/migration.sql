-- Per-token rate limits and IP allowlists; the shared count of requests per token and window.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "rateLimitRequests" INTEGER;
ALTER TABLE "AccessToken" ADD COLUMN "rateLimitSeconds" INTEGER;
ALTER TABLE "AccessToken" ADD COLUMN "allowedIps" TEXT;

-- CreateTable
CREATE TABLE "TokenRateWindow" (
    "tokenId" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("tokenId", "windowStart")
);

-- CreateIndex
CREATE INDEX "TokenRateWindow_windowStart_idx" ON "TokenRateWindow"("windowStart");
