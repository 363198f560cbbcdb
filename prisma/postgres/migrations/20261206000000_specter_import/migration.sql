-- What `tokensmith import specter` took from a Specter Desktop users.json ("user:<Specter id>",
-- "token:<jwt_token_id>"), so that importing the file again adds nothing that was imported before,
-- even what was deleted or revoked since.

-- CreateTable
CREATE TABLE "SpecterImport" (
    "key" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SpecterImport_pkey" PRIMARY KEY ("key")
);
