-- A credential attempt is counted by one statement instead of an interactive transaction of one
-- round trip per key. Every guess at one username takes that username's row lock; held across
-- five round trips (BEGIN, three upserts, COMMIT), 300 guesses at once from 300 addresses queued
-- behind it long enough on a busy machine that Prisma gave up starting their transactions (500s).
-- Now the lock is held for one statement. Same rule as before: the keys are counted in the order
-- given (pair, address, username: never a deadlock), and if any is over its limit nothing is
-- counted (the block's savepoint is rolled back) and that key and its reset time are returned.
CREATE FUNCTION "tokensmith_take_attempts"("keys" TEXT[], "limits" INTEGER[], "windows" BIGINT[], "at_ms" BIGINT)
RETURNS TABLE ("over_key" TEXT, "over_reset_at" BIGINT) LANGUAGE plpgsql AS $$
DECLARE
  i INTEGER;
  taken INTEGER;
  resets BIGINT;
BEGIN
  BEGIN
    FOR i IN 1 .. coalesce(array_length("keys", 1), 0) LOOP
      INSERT INTO "AuthAttempt" ("key", "count", "resetAt") VALUES ("keys"[i], 1, "at_ms" + "windows"[i])
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "AuthAttempt"."resetAt" <= "at_ms" THEN 1 ELSE "AuthAttempt"."count" + 1 END,
        "resetAt" = CASE WHEN "AuthAttempt"."resetAt" <= "at_ms" THEN "at_ms" + "windows"[i] ELSE "AuthAttempt"."resetAt" END
      RETURNING "AuthAttempt"."count", "AuthAttempt"."resetAt" INTO taken, resets;
      IF taken > "limits"[i] THEN
        "over_key" := "keys"[i];
        "over_reset_at" := resets;
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'tokensmith: attempt over its limit';
      END IF;
    END LOOP;
  EXCEPTION WHEN SQLSTATE 'P0001' THEN
    RETURN NEXT;
  END;
END $$;
