-- A token's page lists every event about that token, whoever caused it (its owner, an
-- administrator, reuse detection), and Activity filters by token: both find them by this index
-- instead of scanning the log.

-- CreateIndex
CREATE INDEX "AuditEvent_tokenId_id_idx" ON "AuditEvent"("tokenId", "id");
