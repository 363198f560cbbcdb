import { PG_TOKEN_COLUMNS } from "./rows.js";
import type pg from "pg";
import type { AccessToken } from "../generated/prisma/client.js";
import type { TokenPage, TokenQuery } from "../contracts.js";
import { searchClauses, type SearchDialect } from "../token-query.js";

const COLUMNS = PG_TOKEN_COLUMNS;

/** Token search on PostgreSQL, over the reads' pool. */
export function createPostgresTokenSearch(pool: pg.Pool): (q: TokenQuery) => Promise<TokenPage> {
  return async (q) => {
    const values: unknown[] = [];
    const dialect: SearchDialect = {
      param(value) {
        values.push(value);
        return `$${values.length}`;
      },
      expiringSoon: (now) => `t."expiresAt" < ${now}::timestamptz + make_interval(secs => least(t."lifeSeconds" * 0.1, 86400))`,
      caseInsensitiveLike: "ILIKE",
      nullsLast: (column, order) => `${column} ${order} NULLS LAST`,
    };
    const { where, orderBy } = searchClauses(q, dialect, new Date(q.now));
    const counted = values.length;
    const [total, page] = await Promise.all([
      pool.query<{ n: string }>(`SELECT count(*) AS n FROM "AccessToken" t WHERE ${where}`, values.slice(0, counted)),
      pool.query<AccessToken>(
        `SELECT ${COLUMNS} FROM "AccessToken" t WHERE ${where} ORDER BY ${orderBy} LIMIT $${counted + 1} OFFSET $${counted + 2}`,
        [...values, q.limit, q.offset],
      ),
    ]);
    return { tokens: page.rows.map((row) => ({ ...row, tokenHash: "" })), total: Number(total.rows[0]!.n) };
  };
}
