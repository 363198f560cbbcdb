-- The revocation feed: every end of an unexpired token, in commit order, written by triggers so
-- that every writer (the service, the CLI, a hand-written UPDATE, a cascading user deletion) is
-- covered, and announced on the channel "tokensmith_revocations" (payload: the sequence number).

-- CreateTable
CREATE TABLE "TokenRevocation" (
    "seq" SERIAL NOT NULL,
    "tokenId" TEXT NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TokenRevocation_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "TokenRevocation_expiresAt_idx" ON "TokenRevocation"("expiresAt");

-- Revoking transactions take their sequence numbers one at a time, and hold the lock until they
-- commit: so entries become visible in sequence order, and a reader asking "what came after N"
-- never misses one that was numbered earlier but committed later. Revocations are rare; this
-- costs them a moment of queueing and costs nothing else.
CREATE FUNCTION "tokensmith_revocation_append"("token" TEXT, "ends" TIMESTAMPTZ, "expires" TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  appended INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(7290113005);
  INSERT INTO "TokenRevocation" ("tokenId", "endsAt", "expiresAt") VALUES ("token", "ends", "expires") RETURNING "seq" INTO appended;
  PERFORM pg_notify('tokensmith_revocations', appended::text);
END $$;

CREATE FUNCTION "tokensmith_revocation_on_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "tokensmith_revocation_append"(NEW."id", NEW."revokedAt", NEW."expiresAt");
  RETURN NULL;
END $$;

CREATE FUNCTION "tokensmith_revocation_on_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "tokensmith_revocation_append"(OLD."id", now(), OLD."expiresAt");
  RETURN NULL;
END $$;

CREATE TRIGGER "AccessToken_revocation_feed" AFTER UPDATE OF "revokedAt" ON "AccessToken" FOR EACH ROW
  WHEN (NEW."revokedAt" IS NOT NULL AND (OLD."revokedAt" IS NULL OR NEW."revokedAt" < OLD."revokedAt"))
  EXECUTE FUNCTION "tokensmith_revocation_on_update"();

CREATE TRIGGER "AccessToken_deletion_feed" AFTER DELETE ON "AccessToken" FOR EACH ROW
  WHEN (OLD."expiresAt" > now() AND (OLD."revokedAt" IS NULL OR OLD."revokedAt" > now()))
  EXECUTE FUNCTION "tokensmith_revocation_on_delete"();
