-- How often each token was used, per hour and outcome (added once a minute by each instance).

-- CreateTable
CREATE TABLE "TokenUsage" (
    "tokenId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "allowed" INTEGER NOT NULL DEFAULT 0,
    "unauthorized" INTEGER NOT NULL DEFAULT 0,
    "forbidden" INTEGER NOT NULL DEFAULT 0,
    "limited" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TokenUsage_pkey" PRIMARY KEY ("tokenId", "hour")
);
