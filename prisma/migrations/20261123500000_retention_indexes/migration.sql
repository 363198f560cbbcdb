-- Retention deletes in the background, a batch at a time; each batch finds its rows by an index
-- instead of scanning a table: sessions by expiry, audit events by age, tokens by their end (an
-- expiry long past, or a revocation long past with the JWT expired too), and a deleted token's
-- revocation-feed rows by token id.

-- CreateIndex
CREATE INDEX "AccessToken_expiresAt_idx" ON "AccessToken"("expiresAt");

-- CreateIndex
CREATE INDEX "AccessToken_revokedAt_expiresAt_idx" ON "AccessToken"("revokedAt", "expiresAt");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "TokenRevocation_tokenId_idx" ON "TokenRevocation"("tokenId");
