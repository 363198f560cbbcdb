-- The revocation feed: every end of an unexpired token, in commit order, written by triggers so
-- that every writer (the service, the CLI, a hand-written UPDATE, a cascading user deletion) is
-- covered. Dates use the adapter's text format (ISO 8601 with +00:00), which sorts in time order.

-- CreateTable
CREATE TABLE "TokenRevocation" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tokenId" TEXT NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "TokenRevocation_expiresAt_idx" ON "TokenRevocation"("expiresAt");

-- A token's end moved earlier (a revoke, a lineage or family ending, a rotation's overlap).
CREATE TRIGGER "AccessToken_revocation_feed" AFTER UPDATE OF "revokedAt" ON "AccessToken"
WHEN NEW."revokedAt" IS NOT NULL AND (OLD."revokedAt" IS NULL OR NEW."revokedAt" < OLD."revokedAt")
BEGIN
  INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt") VALUES (NEW."id", NEW."revokedAt", NEW."expiresAt");
END;

-- A token in force deleted (its user was deleted): it ends now.
CREATE TRIGGER "AccessToken_deletion_feed" AFTER DELETE ON "AccessToken"
WHEN OLD."expiresAt" > strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
 AND (OLD."revokedAt" IS NULL OR OLD."revokedAt" > strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))
BEGIN
  INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt")
  VALUES (OLD."id", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), OLD."expiresAt");
END;
