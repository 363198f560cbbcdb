-- The start of what a receiver answered (at most 1 KiB of text), kept with each attempt so a
-- failed delivery can be understood from the dashboard; null when nothing came back, or when the
-- receiver is on a private address (see packages/api/src/webhooks/post.ts).

-- AlterTable
ALTER TABLE "WebhookAttempt" ADD COLUMN "responseBody" TEXT;
