import type { TokenQuery } from "./contracts.js";

/** The SQL each database spells differently; everything else about a token search is shared. */
export interface SearchDialect {
  /** A named parameter (SQLite "@name", PostgreSQL "$n"), registering its value. */
  param(value: unknown): string;
  /** Expires within the token's own "soon" window: less than min(10% of its life, 24 h) left. */
  expiringSoon(now: string): string;
  caseInsensitiveLike: "LIKE" | "ILIKE";
  nullsLast(column: string, order: "ASC" | "DESC"): string;
}

const SORT_COLUMNS = { created: `t."createdAt"`, expires: `t."expiresAt"`, last_used: `t."lastUsedAt"` } as const;

/** LIKE's wildcards taken literally. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * WHERE and ORDER BY of a token search, for either database. The state rule is core's
 * (tokenState): revoked when its end has passed; else expired, expiring (less than min(10% of its
 * life, 24 h) left) or valid. Ties in any order are broken by id, so pages never shuffle.
 */
export function searchClauses(q: TokenQuery, dialect: SearchDialect, nowValue: unknown): { where: string; orderBy: string } {
  const now = dialect.param(nowValue);
  const conditions = [`t."userId" = ${dialect.param(q.userId)}`];
  const inForce = `(t."revokedAt" IS NULL OR t."revokedAt" > ${now})`;
  const notExpired = `t."expiresAt" > ${now}`;
  const soon = dialect.expiringSoon(now);
  switch (q.state ?? "in_force") {
    case "in_force":
      conditions.push(inForce);
      break;
    case "valid":
      conditions.push(inForce, notExpired, `NOT (${soon})`);
      break;
    case "expiring":
      conditions.push(inForce, notExpired, soon);
      break;
    case "expired":
      conditions.push(inForce, `NOT (${notExpired})`);
      break;
    case "revoked":
      conditions.push(`NOT ${inForce}`);
      break;
  }
  if (q.endpoints === "limited") conditions.push(`t."endpoints" IS NOT NULL`);
  if (q.endpoints === "all") conditions.push(`t."endpoints" IS NULL`);
  const text = q.text?.trim().toLowerCase().slice(0, 100);
  if (text) {
    const like = dialect.caseInsensitiveLike;
    conditions.push(
      `(t."description" ${like} ${dialect.param(`%${escapeLike(text)}%`)} ESCAPE '\\' OR t."id" LIKE ${dialect.param(`${escapeLike(text)}%`)} ESCAPE '\\')`,
    );
  }
  const order = q.order === "asc" ? "ASC" : "DESC";
  const column = SORT_COLUMNS[q.sort];
  const primary = q.sort === "last_used" ? dialect.nullsLast(column, order) : `${column} ${order}`;
  return { where: conditions.join(" AND "), orderBy: `${primary}, t."id" ASC` };
}
