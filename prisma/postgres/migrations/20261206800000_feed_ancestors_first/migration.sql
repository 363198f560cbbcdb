-- A statement's ended rows go on the revocation feed oldest first (by creation, then id), instead
-- of by id. A lineage's ancestors are older than their descendants, so a follower part-way
-- through a large burst (the feed is read in pages) already refuses the tokens that revoke named,
-- and those that created the rest, before their children: by id, the root of a 14,000-token
-- lineage could come last, still accepted while its children were refused.
CREATE OR REPLACE FUNCTION "tokensmith_revocation_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
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
     ORDER BY n."createdAt", n."id"
    RETURNING "seq"
  )
  SELECT max("seq") INTO appended FROM added;
  PERFORM pg_notify('tokensmith_revocations', appended::text);
  RETURN NULL;
END $$;
