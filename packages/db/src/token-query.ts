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

export interface SearchClauses {
  /** The list: whose tokens, state, endpoints (never "" : "1 = 1" for none). */
  where: string;
  /** Every word of the search ("" for none): no index serves these. */
  words: string;
  orderBy: string;
  /** The index that holds the list in its order, if one does. */
  orderIndex?: string;
}

/**
 * WHERE and ORDER BY of a token search, for either database. The state rule is core's
 * (tokenState): revoked when its end has passed; else expired, expiring (less than min(10% of its
 * life, 24 h) left) or valid. Ties in any order are broken by id, so pages never shuffle.
 */
export function searchClauses(q: TokenQuery, dialect: SearchDialect, nowValue: unknown): SearchClauses {
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
  const words = searchWords(q.text).map((word) => {
    const like = dialect.caseInsensitiveLike;
    return `(t."description" ${like} ${dialect.param(`%${escapeLike(word)}%`)} ESCAPE '\\' OR t."id" LIKE ${dialect.param(`${escapeLike(word)}%`)} ESCAPE '\\')`;
  });
  if (conditions.length === 0) conditions.push("1 = 1");
  const order = q.order === "asc" ? "ASC" : "DESC";
  const column = SORT_COLUMNS[q.sort];
  const primary = q.sort === "last_used" ? dialect.nullsLast(column, order) : `${column} ${order}`;
  // id runs in the same direction as the sort, so one index ((userId,) column, id) walked forwards
  // or backwards gives a page in order and stops after it: no sort of every matching row.
  return { where: conditions.join(" AND "), words: words.join(" AND "), orderBy: `${primary}, t."id" ${order}`, orderIndex: orderIndex(q) };
}

/**
 * The index that holds a list in its order (the list_index_walk migration), if one does: a page
 * is read by walking it. Never used, last_used has none; its pages sort the matching rows.
 */
function orderIndex(q: TokenQuery): string | undefined {
  if (q.sort === "last_used") return undefined;
  const column = q.sort === "created" ? "createdAt" : "expiresAt";
  if (q.userId === null) return `AccessToken_${column}_id_idx`;
  return column === "createdAt" ? "AccessToken_userId_createdAt_id_idx" : "AccessToken_userId_expiresAt_id_revokedAt_idx";
}

/**
 * How far past a page's first row the total is counted: a list of more says "10,000+" (totalExact
 * false) instead of counting a million rows for each page. A search's words need every row read
 * (no index finds a word inside a description), so a search reads at most this many rows of the
 * list past the page's first (in the list's order): its page and total come from those, and its
 * total is "N+" when the list goes on. Either way a page reads at most countCap(offset) + 1 rows
 * that match the list's own filters.
 */
export const TOTAL_COUNT_BOUND = 10_000;

/** The most rows a page's total counts (a search: reads): its offset plus the bound. */
export const countCap = (offset: number) => offset + TOTAL_COUNT_BOUND;

/**
 * The two statements of a page, for either database: `columns` of the page's rows, `walk` the
 * dialect's way to name the index to read in order ("" for none), `newDialect` one with a fresh
 * parameter list.
 * Each statement gets its own parameters (PostgreSQL refuses one its statement does not use).
 */
export function searchStatements(
  q: TokenQuery,
  columns: string,
  newDialect: () => SearchDialect,
  nowValue: unknown,
  walk: (index: string | undefined) => string,
): { count: SearchDialect; page: SearchDialect; countSql: string; pageSql: string } {
  const count = newDialect();
  const c = searchClauses(q, count, nowValue);
  const page = newDialect();
  const p = searchClauses(q, page, nowValue);
  const list = (clauses: SearchClauses, dialect: SearchDialect, cap: number) =>
    `SELECT t.* FROM "AccessToken" t${walk(clauses.orderIndex)} WHERE ${clauses.where} ORDER BY ${clauses.orderBy} LIMIT ${dialect.param(cap)}`;
  if (c.words === "") {
    return {
      count, page,
      countSql: `SELECT count(*) AS n, 0 AS scanned FROM (SELECT 1 FROM "AccessToken" t WHERE ${c.where} LIMIT ${count.param(countCap(q.offset) + 1)}) counted`,
      pageSql: `SELECT ${columns} FROM "AccessToken" t${walk(p.orderIndex)} WHERE ${p.where} ORDER BY ${p.orderBy} LIMIT ${page.param(q.limit)} OFFSET ${page.param(q.offset)}`,
    };
  }
  return {
    count, page,
    // One pass over the rows read: how many match every word, and whether the list went on.
    countSql: `SELECT coalesce(sum(CASE WHEN ${c.words} THEN 1 ELSE 0 END), 0) AS n, count(*) AS scanned FROM (${list(c, count, countCap(q.offset) + 1)}) t`,
    pageSql: `SELECT ${columns} FROM (${list(p, page, countCap(q.offset))}) t WHERE ${p.words} ORDER BY ${p.orderBy} LIMIT ${page.param(q.limit)} OFFSET ${page.param(q.offset)}`,
  };
}

/** The page's total from the count statement's row (n matches; scanned: rows a search read). */
export function boundedTotal({ n, scanned }: { n: number; scanned: number }, offset: number): { total: number; totalExact: boolean } {
  const cap = countCap(offset);
  if (scanned > cap) return { total: n, totalExact: false };
  return n > cap ? { total: cap, totalExact: false } : { total: n, totalExact: true };
}
