-- MAX_TOKENS_PER_USER: each create counts the user's unexpired tokens (revoked ones included: the
-- revocation feed names them until they expire) from this index alone, stopping at the limit.

-- CreateIndex
CREATE INDEX "AccessToken_userId_expiresAt_idx" ON "AccessToken"("userId", "expiresAt");
