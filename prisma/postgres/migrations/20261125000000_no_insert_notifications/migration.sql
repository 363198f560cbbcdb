-- A new token needs no notification: instances cache only rows they found, and an insert cannot
-- change a row anyone found (ids are new; a deleted row's id is announced by the delete trigger).
-- Announcing every insert cost each create a second transaction on every listening backend and a
-- cache generation bump on every instance — about a fifth of what a create cost PostgreSQL and us.
DROP TRIGGER "AccessToken_notify_insert" ON "AccessToken";
