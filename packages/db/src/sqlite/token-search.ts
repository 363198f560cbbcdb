import type { Database, Statement } from "better-sqlite3";
import type { TokenPage, TokenQuery } from "../contracts.js";
import { searchClauses, type SearchDialect } from "../token-query.js";
import { sqliteDate } from "./dates.js";
import { TOKEN_COLUMNS, toAccessToken, type TokenRow } from "./rows.js";

/** Token search on SQLite: statements prepared once per shape of query (a few hundred at most). */
export function createSqliteTokenSearch(db: Database): (q: TokenQuery) => TokenPage {
  const prepared = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) prepared.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return (q) => {
    const values: Record<string, unknown> = {};
    const dialect: SearchDialect = {
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
    const { where, orderBy } = searchClauses(q, dialect, sqliteDate(q.now));
    const total = prepare(`SELECT count(*) AS n FROM "AccessToken" t WHERE ${where}`).get(values) as { n: number };
    const rows = prepare(`SELECT ${TOKEN_COLUMNS} FROM "AccessToken" t WHERE ${where} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset`).all({
      ...values,
      limit: q.limit,
      offset: q.offset,
    }) as TokenRow[];
    return { tokens: rows.map((row) => ({ ...toAccessToken(row), tokenHash: "" })), total: total.n };
  };
}
