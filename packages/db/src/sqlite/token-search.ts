import type { Database, Statement } from "better-sqlite3";
import type { TokenPage, TokenQuery } from "../contracts.js";
import { boundedTotal, searchStatements, type SearchDialect } from "../token-query.js";
import { sqliteDate } from "./dates.js";
import { TOKEN_COLUMNS, toAccessToken, type TokenRow } from "./rows.js";

function sqliteDialect(): SearchDialect & { values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  return {
    values,
    param(value) {
      const name = `p${Object.keys(values).length}`;
      values[name] = value;
      return `@${name}`;
    },
    // Dates are ISO text; julianday() reads them (with their +00:00) as days.
    expiringSoon: (now) => `julianday(t."expiresAt") < julianday(${now}) + min(t."lifeSeconds" * 0.1, 86400) / 86400.0`,
    caseInsensitiveLike: "LIKE",
    nullsLast: (column, order) => `(${column} IS NULL) ASC, ${column} ${order}`,
  };
}

/** The two statements of a token search on SQLite (the count, the page) and their named values. */
export function sqliteSearchStatements(q: TokenQuery) {
  // SQLite, without statistics, prefers a range on (userId, expiresAt) for "active" lists and
  // then sorts every row it found: the page walks the index in its order instead, and stops.
  const walk = (index: string | undefined) => (index ? ` INDEXED BY "${index}"` : "");
  const built = searchStatements(q, TOKEN_COLUMNS, sqliteDialect, sqliteDate(q.now), walk);
  const values = (dialect: SearchDialect) => (dialect as ReturnType<typeof sqliteDialect>).values;
  return { count: { sql: built.countSql, values: values(built.count) }, page: { sql: built.pageSql, values: values(built.page) } };
}

/** Token search on SQLite: statements prepared once per shape of query (a few hundred at most). */
export function createSqliteTokenSearch(db: Database): (q: TokenQuery) => TokenPage {
  const prepared = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return (q) => {
    const { count, page } = sqliteSearchStatements(q);
    const counted = prepare(count.sql).get(count.values) as { n: number; scanned: number };
    const rows = prepare(page.sql).all(page.values) as TokenRow[];
    return { tokens: rows.map((row) => ({ ...toAccessToken(row), tokenHash: "" })), ...boundedTotal(counted, q.offset) };
  };
}
