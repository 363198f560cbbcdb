-- The audiences a token is signed for (its aud claim), so lists and introspection can show them.

-- AlterTable
ALTER TABLE "AccessToken" ADD COLUMN "audience" TEXT;
