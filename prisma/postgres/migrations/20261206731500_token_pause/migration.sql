-- A token can be paused (refused everywhere) and resumed without being revoked. pausedBy names the
-- token whose pause paused this one (itself, or an ancestor: a pause takes the token's lineage
-- along, and its resume brings back only what it paused). pauseCount bounds the feed entries one
-- token can cause (see MAX_PAUSES_PER_TOKEN).

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "pausedAt" TIMESTAMPTZ(3);
ALTER TABLE "AccessToken" ADD COLUMN "pausedBy" TEXT;
ALTER TABLE "AccessToken" ADD COLUMN "pauseCount" INTEGER NOT NULL DEFAULT 0;

-- The feed says what each entry is: "revoke" (every entry so far), "pause" or "resume".
ALTER TABLE "TokenRevocation" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'revoke';

-- As tokensmith_revocation_append (same lock, same notification), with the entry's kind.
CREATE FUNCTION "tokensmith_pause_append"("token" TEXT, "ends" TIMESTAMPTZ, "expires" TIMESTAMPTZ, "entry_kind" TEXT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  appended INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(7290113005);
  INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt", "kind") VALUES ("token", "ends", "expires", "entry_kind") RETURNING "seq" INTO appended;
  PERFORM pg_notify('tokensmith_revocations', appended::text);
END $$;

CREATE FUNCTION "tokensmith_pause_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."pausedAt" IS NOT NULL THEN
    PERFORM "tokensmith_pause_append"(NEW."id", NEW."pausedAt", NEW."expiresAt", 'pause');
  ELSE
    PERFORM "tokensmith_pause_append"(NEW."id", now(), NEW."expiresAt", 'resume');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "AccessToken_pause_feed" AFTER UPDATE OF "pausedAt" ON "AccessToken" FOR EACH ROW
  WHEN ((NEW."pausedAt" IS NULL) <> (OLD."pausedAt" IS NULL))
  EXECUTE FUNCTION "tokensmith_pause_on_update"();
