-- The revocation feed's update trigger runs once per statement instead of once per row: a lineage
-- of 100,000 tokens ended by one UPDATE paid a function call, an INSERT and a distinct NOTIFY per
-- row (about half of that UPDATE's time). Now the statement's ended rows go in with one INSERT
-- and one NOTIFY (the payload, the highest sequence number, is what listeners are told; they read
-- the table from their last position). Same rule as before: a token's end newly set, or moved
-- earlier. Transition tables cannot go with a column list, so it fires on every UPDATE of the
-- table and first checks, without the lock, whether any row's end moved.

DROP TRIGGER "AccessToken_revocation_feed" ON "AccessToken";
DROP FUNCTION "tokensmith_revocation_on_update"();

CREATE FUNCTION "tokensmith_revocation_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  appended INTEGER;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "tokensmith_after" n JOIN "tokensmith_before" o ON o."id" = n."id"
     WHERE n."revokedAt" IS NOT NULL AND (o."revokedAt" IS NULL OR n."revokedAt" < o."revokedAt")
  ) THEN
    RETURN NULL;
  END IF;
  -- Taken before numbering, held until commit (see the revocation_feed migration).
  PERFORM pg_advisory_xact_lock(7290113005);
  WITH added AS (
    INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt")
    SELECT n."id", n."revokedAt", n."expiresAt"
      FROM "tokensmith_after" n JOIN "tokensmith_before" o ON o."id" = n."id"
     WHERE n."revokedAt" IS NOT NULL AND (o."revokedAt" IS NULL OR n."revokedAt" < o."revokedAt")
     ORDER BY n."id"
    RETURNING "seq"
  )
  SELECT max("seq") INTO appended FROM added;
  PERFORM pg_notify('tokensmith_revocations', appended::text);
  RETURN NULL;
END $$;

CREATE TRIGGER "AccessToken_revocation_feed" AFTER UPDATE ON "AccessToken"
  REFERENCING OLD TABLE AS "tokensmith_before" NEW TABLE AS "tokensmith_after"
  FOR EACH STATEMENT EXECUTE FUNCTION "tokensmith_revocation_on_update"();
