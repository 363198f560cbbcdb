/** When a token stops working (epoch ms): its expiry, or its revocation if that comes first. */
export const tokenEndsAt = (row: { expiresAt: Date; revokedAt: Date | null }): number =>
  Math.min(row.expiresAt.getTime(), row.revokedAt?.getTime() ?? Infinity);

/** The AccessToken columns every PostgreSQL token read selects, in Prisma's shape. */
export const PG_TOKEN_COLUMNS = `t."id", t."userId", t."description", t."lifeSeconds", t."tokenHash", t."createdAt", t."expiresAt", t."revokedAt",
  t."lastUsedAt", t."lastUsedIp", t."endpoints", t."familyId", t."rotatedAt", t."replacedById", t."parentId", t."signingKeyId",
  t."rateLimitRequests", t."rateLimitSeconds", t."allowedIps", t."maxUses", t."usesLeft", t."audience", t."dpopJkt",
  t."pausedAt", t."pausedBy", t."pauseCount"`;
