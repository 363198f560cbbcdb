-- Hourly usage counts older than the 30 days any usage chart shows are deleted in the background,
-- a batch at a time, found by this index instead of a scan of the whole table.

-- CreateIndex
CREATE INDEX "TokenUsage_hour_idx" ON "TokenUsage"("hour");
