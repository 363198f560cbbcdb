-- A token can be paused (refused everywhere) and resumed without being revoked. pausedBy names the
-- token whose pause paused this one (itself, or an ancestor: a pause takes the token's lineage
-- along, and its resume brings back only what it paused). pauseCount bounds the feed entries one
-- token can cause (see MAX_PAUSES_PER_TOKEN).

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "pausedAt" DATETIME;
ALTER TABLE "AccessToken" ADD COLUMN "pausedBy" TEXT;
ALTER TABLE "AccessToken" ADD COLUMN "pauseCount" INTEGER NOT NULL DEFAULT 0;

-- The feed says what each entry is: "revoke" (every entry so far), "pause" or "resume".
ALTER TABLE "TokenRevocation" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'revoke';

-- A pause and a resume are feed entries too, written by triggers like a revoke's.
CREATE TRIGGER "AccessToken_pause_feed" AFTER UPDATE OF "pausedAt" ON "AccessToken"
WHEN NEW."pausedAt" IS NOT NULL AND OLD."pausedAt" IS NULL
BEGIN
  INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt", "kind") VALUES (NEW."id", NEW."pausedAt", NEW."expiresAt", 'pause');
END;

CREATE TRIGGER "AccessToken_resume_feed" AFTER UPDATE OF "pausedAt" ON "AccessToken"
WHEN NEW."pausedAt" IS NULL AND OLD."pausedAt" IS NOT NULL
BEGIN
  INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt", "kind")
  VALUES (NEW."id", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), NEW."expiresAt", 'resume');
END;
