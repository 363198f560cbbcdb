-- How often each token was used, per hour and outcome (added once a minute by each instance).

-- CreateTable
CREATE TABLE "TokenUsage" (
    "tokenId" TEXT NOT NULL,
    "hour" DATETIME NOT NULL,
    "allowed" INTEGER NOT NULL DEFAULT 0,
    "unauthorized" INTEGER NOT NULL DEFAULT 0,
    "forbidden" INTEGER NOT NULL DEFAULT 0,
    "limited" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("tokenId", "hour")
);
