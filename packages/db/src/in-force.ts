import type { Prisma } from "./generated/prisma/client.js";

/**
 * A token is in force until its revokedAt: never revoked, or revoked at a time still ahead (a
 * rotation's overlap). The one rule, in the three forms the code needs: stored text, a Prisma
 * filter, and SQL (used by the token reader's list query).
 */
export function inForce(revokedAt: string | null, now: number = Date.now()): boolean {
  return revokedAt === null || Date.parse(revokedAt) > now;
}

export function inForceWhere(now: Date = new Date()): Prisma.AccessTokenWhereInput {
  return { OR: [{ revokedAt: null }, { revokedAt: { gt: now } }] };
}

/** SQL for a table aliased `t`; the one parameter is "now" as the adapter stores dates. */
export const IN_FORCE_SQL = `(t."revokedAt" IS NULL OR t."revokedAt" > ?)`;
