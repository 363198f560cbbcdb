-- Introspection answers a caller about its own tokens only, unless it is an administrator or a
-- user an administrator let introspect any token (a resource server's account).

-- AlterTable
ALTER TABLE "User" ADD COLUMN "introspectAny" BOOLEAN NOT NULL DEFAULT false;
