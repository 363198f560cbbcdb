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

/** A search matches every word given, in any order; words past this many are ignored. */
export const MAX_SEARCH_WORDS = 8;

/** The words of a search, lower-cased, each at most once: "prod payments" → ["prod", "payments"]. */
export function searchWords(text: string | undefined): string[] {
  const words = (text ?? "").toLowerCase().slice(0, 100).split(/\s+/).filter(Boolean);
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}

/**
 * WHERE and ORDER BY of a token search, for either database. The state rule is core's
 * (tokenState): revoked when its end has passed; else expired, expiring (less than min(10% of its
 * life, 24 h) left) or valid. Ties in any order are broken by id, so pages never shuffle.
 */
export function searchClauses(q: TokenQuery, dialect: SearchDialect, nowValue: unknown): { where: string; orderBy: string } {
  const conditions = q.userId === null ? [] : [`t."userId" = ${dialect.param(q.userId)}`];
  // Registered only by a state that reads it: PostgreSQL refuses a parameter no clause uses
  // ("could not determine data type of parameter"), which "all" would leave.
  let now: string | undefined;
  const at = () => (now ??= dialect.param(nowValue));
  const inForce = () => `(t."revokedAt" IS NULL OR t."revokedAt" > ${at()})`;
  const notExpired = () => `t."expiresAt" > ${at()}`;
  const soon = () => dialect.expiringSoon(at());
  switch (q.state ?? "in_force") {
    case "all":
      break;
    case "in_force":
      conditions.push(inForce());
      break;
    case "active":
      conditions.push(inForce(), notExpired());
      break;
    case "inactive":
      conditions.push(`(NOT ${inForce()} OR NOT (${notExpired()}))`);
      break;
    case "valid":
      conditions.push(inForce(), notExpired(), `NOT (${soon()})`);
      break;
    case "expiring":
      conditions.push(inForce(), notExpired(), soon());
      break;
    case "expired":
      conditions.push(inForce(), `NOT (${notExpired()})`);
      break;
    case "revoked":
      conditions.push(`NOT ${inForce()}`);
      break;
  }
  if (q.endpoints === "limited") conditions.push(`t."endpoints" IS NOT NULL`);
  if (q.endpoints === "all") conditions.push(`t."endpoints" IS NULL`);
  // Each word is somewhere in the description, or starts the id: "prod payments" finds "payments (prod)".
  for (const word of searchWords(q.text)) {
    const like = dialect.caseInsensitiveLike;
    conditions.push(
      `(t."description" ${like} ${dialect.param(`%${escapeLike(word)}%`)} ESCAPE '\\' OR t."id" LIKE ${dialect.param(`${escapeLike(word)}%`)} ESCAPE '\\')`,
    );
  }
  if (conditions.length === 0) conditions.push("1 = 1");
  const order = q.order === "asc" ? "ASC" : "DESC";
  const column = SORT_COLUMNS[q.sort];
  const primary = q.sort === "last_used" ? dialect.nullsLast(column, order) : `${column} ${order}`;
  return { where: conditions.join(" AND "), orderBy: `${primary}, t."id" ASC` };
}
