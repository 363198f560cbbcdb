-- Usernames are unique regardless of case ("ADMIN" is "admin"), as the sign-in limits and the
-- headers upstreams receive already took them. The key is computed by the database (lower() under
-- the C collation folds ASCII letters only, as SQLite's lower() and core's usernameKey do), so no
-- writer can forget or fake it.
--
-- A database may already hold names that differ only in case. The oldest account (then the
-- smallest id) keeps its name; each later one is renamed to its name plus "." and the first 8
-- characters of its id, and the rename is written to the audit log. Its password, sessions and
-- tokens stay as they are.

INSERT INTO "AuditEvent" ("at", "action", "userId", "username", "detail")
SELECT now(), 'user.rename', u."id", u."username",
       json_build_object('from', u."username", 'to', substr(u."username", 1, 55) || '.' || substr(u."id", 1, 8),
                         'reason', 'another user has this name in another case')::text
  FROM "User" u
 WHERE EXISTS (SELECT 1 FROM "User" earlier
                WHERE lower(earlier."username" COLLATE "C") = lower(u."username" COLLATE "C")
                  AND (earlier."createdAt" < u."createdAt" OR (earlier."createdAt" = u."createdAt" AND earlier."id" < u."id")));

UPDATE "User" u SET "username" = substr(u."username", 1, 55) || '.' || substr(u."id", 1, 8)
 WHERE EXISTS (SELECT 1 FROM "User" earlier
                WHERE lower(earlier."username" COLLATE "C") = lower(u."username" COLLATE "C")
                  AND (earlier."createdAt" < u."createdAt" OR (earlier."createdAt" = u."createdAt" AND earlier."id" < u."id")));

-- AlterTable
ALTER TABLE "User" ADD COLUMN "usernameKey" TEXT GENERATED ALWAYS AS (lower("username" COLLATE "C")) STORED;

-- CreateIndex
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");
