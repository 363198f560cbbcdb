-- A token's page lists the tokens it created, newest first: with the order in the index, that is a
-- walk of at most a page of rows, never a read of every token its owner has (the planner would
-- otherwise take the owner's (userId, createdAt, id) index). It serves the lineage's parentId
-- lookups as the index it replaces did.
CREATE INDEX "AccessToken_parentId_createdAt_id_idx" ON "AccessToken"("parentId", "createdAt", "id");
DROP INDEX "AccessToken_parentId_idx";
