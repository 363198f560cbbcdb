import { PG_TOKEN_COLUMNS } from "./rows.js";
import type pg from "pg";
import type { AccessToken } from "../generated/prisma/client.js";
import type { TokenPage, TokenQuery } from "../contracts.js";
import { boundedTotal, searchStatements, type SearchDialect } from "../token-query.js";

function postgresDialect(): SearchDialect & { values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    param(value) {
      values.push(value);
      return `$${values.length}`;
    },
    expiringSoon: (now) => `t."expiresAt" < ${now}::timestamptz + make_interval(secs => least(t."lifeSeconds" * 0.1, 86400))`,
    caseInsensitiveLike: "ILIKE",
    nullsLast: (column, order) => `${column} ${order} NULLS LAST`,
  };
}

/** The two statements of a token search on PostgreSQL (the count, the page) and their values; its planner picks the index. */
export function postgresSearchStatements(q: TokenQuery) {
  const built = searchStatements(q, PG_TOKEN_COLUMNS, postgresDialect, new Date(q.now), () => "");
  const values = (dialect: SearchDialect) => (dialect as ReturnType<typeof postgresDialect>).values;
  return { count: { sql: built.countSql, values: values(built.count) }, page: { sql: built.pageSql, values: values(built.page) } };
}

/** Token search on PostgreSQL, over the reads' pool. */
export function createPostgresTokenSearch(pool: pg.Pool): (q: TokenQuery) => Promise<TokenPage> {
  return async (q) => {
    const { count, page } = postgresSearchStatements(q);
    const [counted, rows] = await Promise.all([pool.query<{ n: string; scanned: string }>(count.sql, count.values), pool.query<AccessToken>(page.sql, page.values)]);
    const { n, scanned } = counted.rows[0]!;
    return { tokens: rows.rows.map((row) => ({ ...row, tokenHash: "" })), ...boundedTotal({ n: Number(n), scanned: Number(scanned) }, q.offset) };
  };
}
