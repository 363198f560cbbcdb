import type { AccessToken } from "../generated/prisma/client.js";

/** An AccessToken row as better-sqlite3 returns it (dates as the adapter's ISO text). */
export interface TokenRow {
  id: string;
  userId: string;
  description: string;
  lifeSeconds: number;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  endpoints: string | null;
  familyId: string | null;
  rotatedAt: string | null;
  replacedById: string | null;
  parentId: string | null;
  signingKeyId: string | null;
  rateLimitRequests: number | null;
  rateLimitSeconds: number | null;
  allowedIps: string | null;
  maxUses: number | null;
  usesLeft: number | null;
  audience: string | null;
  dpopJkt: string | null;
  pausedAt: string | null;
  pausedBy: string | null;
  pauseCount: number;
}

export const TOKEN_COLUMNS = `t."id", t."userId", t."description", t."lifeSeconds", t."tokenHash", t."createdAt", t."expiresAt",
  t."revokedAt", t."lastUsedAt", t."lastUsedIp", t."endpoints", t."familyId", t."rotatedAt", t."replacedById", t."parentId", t."signingKeyId",
  t."rateLimitRequests", t."rateLimitSeconds", t."allowedIps", t."maxUses", t."usesLeft", t."audience", t."dpopJkt",
  t."pausedAt", t."pausedBy", t."pauseCount"`;

const date = (text: string | null) => (text === null ? null : new Date(text));

export function toAccessToken(row: TokenRow): AccessToken {
  return {
    id: row.id,
    userId: row.userId,
    description: row.description,
    lifeSeconds: row.lifeSeconds,
    tokenHash: row.tokenHash,
    createdAt: new Date(row.createdAt),
    expiresAt: new Date(row.expiresAt),
    revokedAt: date(row.revokedAt),
    lastUsedAt: date(row.lastUsedAt),
    lastUsedIp: row.lastUsedIp,
    endpoints: row.endpoints,
    familyId: row.familyId,
    rotatedAt: date(row.rotatedAt),
    replacedById: row.replacedById,
    parentId: row.parentId,
    signingKeyId: row.signingKeyId,
    rateLimitRequests: row.rateLimitRequests,
    rateLimitSeconds: row.rateLimitSeconds,
    allowedIps: row.allowedIps,
    maxUses: row.maxUses,
    usesLeft: row.usesLeft,
    audience: row.audience,
    dpopJkt: row.dpopJkt,
    pausedAt: date(row.pausedAt),
    pausedBy: row.pausedBy,
    pauseCount: row.pauseCount,
  };
}
