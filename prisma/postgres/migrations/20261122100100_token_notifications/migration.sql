-- Every write that changes a token or a user tells every instance, in the same transaction (a
-- NOTIFY is delivered at commit, and not at all on rollback): instances cache token rows for the
-- authenticated hot path and drop them on these notifications. Triggers cover every writer —
-- the service, the admin CLI, a hand-written UPDATE — so no code path can forget to notify.
-- Payload on channel "tokensmith_tokens": token ids separated by commas, or "*" for "drop
-- everything" (a user changed, or more ids than fit in a notification's 8000 bytes).

CREATE FUNCTION "tokensmith_notify_tokens"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids TEXT;
BEGIN
  SELECT string_agg("id", ',') INTO ids FROM changed;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('tokensmith_tokens', CASE WHEN length(ids) > 7900 THEN '*' ELSE ids END);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "tokensmith_notify_users"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tokensmith_tokens', '*');
  RETURN NULL;
END $$;

CREATE TRIGGER "AccessToken_notify_insert" AFTER INSERT ON "AccessToken"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "tokensmith_notify_tokens"();
CREATE TRIGGER "AccessToken_notify_update" AFTER UPDATE ON "AccessToken"
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "tokensmith_notify_tokens"();
CREATE TRIGGER "AccessToken_notify_delete" AFTER DELETE ON "AccessToken"
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "tokensmith_notify_tokens"();
CREATE TRIGGER "User_notify_change" AFTER UPDATE OR DELETE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "tokensmith_notify_users"();
