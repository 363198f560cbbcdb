-- The token list's first page is an index walk: each index holds a list's filter (the user, or
-- none for administrators) and then its ORDER BY, tie-breaking id included, so a page of 50 reads
-- about 50 rows instead of sorting every matching one (see packages/db/src/token-query.ts).
CREATE INDEX "AccessToken_userId_createdAt_id_idx" ON "AccessToken"("userId", "createdAt", "id");
CREATE INDEX "AccessToken_createdAt_id_idx" ON "AccessToken"("createdAt", "id");

-- These replace (userId, expiresAt) and (expiresAt), which they serve as well (MAX_TOKENS_PER_USER's
-- count, retention), so a write still updates as many indexes as before plus the two above (and
-- the one below). revokedAt last: the total of a page of working tokens ("userId", not expired,
-- not revoked) is counted from this index alone, without reading the table.
CREATE INDEX "AccessToken_userId_expiresAt_id_revokedAt_idx" ON "AccessToken"("userId", "expiresAt", "id", "revokedAt");
DROP INDEX "AccessToken_userId_expiresAt_idx";
CREATE INDEX "AccessToken_expiresAt_id_idx" ON "AccessToken"("expiresAt", "id");
DROP INDEX "AccessToken_expiresAt_idx";

-- A token's page looks up the token it replaced (rotatedFrom): without this, a read of every one
-- of its owner's tokens.
CREATE INDEX "AccessToken_replacedById_idx" ON "AccessToken"("replacedById");
