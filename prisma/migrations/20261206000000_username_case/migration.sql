-- Usernames are unique regardless of case ("ADMIN" is "admin"), as the sign-in limits and the
-- headers upstreams receive already took them. The key is computed by the database (lower() folds
-- ASCII letters only, as core's usernameKey does), so no writer can forget or fake it.
--
-- A database may already hold names that differ only in case. The oldest account (then the
-- smallest id) keeps its name; each later one is renamed to its name plus "." and the first 8
-- characters of its id, and the rename is written to the audit log. Its password, sessions and
-- tokens stay as they are.

INSERT INTO "AuditEvent" ("at", "action", "userId", "username", "detail")
SELECT strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'user.rename', u."id", u."username",
       json_object('from', u."username", 'to', substr(u."username", 1, 55) || '.' || substr(u."id", 1, 8),
                   'reason', 'another user has this name in another case')
  FROM "User" u
 WHERE EXISTS (SELECT 1 FROM "User" earlier
                WHERE lower(earlier."username") = lower(u."username")
                  AND (earlier."createdAt" < u."createdAt" OR (earlier."createdAt" = u."createdAt" AND earlier."id" < u."id")));

UPDATE "User" SET "username" = substr("username", 1, 55) || '.' || substr("id", 1, 8)
 WHERE EXISTS (SELECT 1 FROM "User" earlier
                WHERE lower(earlier."username") = lower("User"."username")
                  AND (earlier."createdAt" < "User"."createdAt" OR (earlier."createdAt" = "User"."createdAt" AND earlier."id" < "User"."id")));

-- AlterTable
ALTER TABLE "User" ADD COLUMN "usernameKey" TEXT GENERATED ALWAYS AS (lower("username")) VIRTUAL;

-- CreateIndex
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");
