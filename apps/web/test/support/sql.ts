import Sqlite from "better-sqlite3";
import pg from "pg";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Runs one statement on a test database from outside the server — a second connection, as an
 * operator's would be. `?` placeholders on both databases (turned into $1, $2… for PostgreSQL).
 */
export async function sql<T = Record<string, unknown>>(database: TestDatabase, text: string, params: unknown[] = []): Promise<T[]> {
  if (database.kind === "sqlite") {
    const db = new Sqlite(database.file!, { timeout: 5000 });
    try {
      const statement = db.prepare(text);
      return statement.reader ? (statement.all(...params) as T[]) : (statement.run(...params), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    let n = 0;
    return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** How many rows a query counts, as a number on both databases. */
export async function count(database: TestDatabase, text: string, params: unknown[] = []): Promise<number> {
  const [row] = await sql<{ n: number | string }>(database, text, params);
  return Number(row?.n ?? 0);
}

/** Dates as each database stores them in raw SQL (SQLite: Prisma's ISO text with +00:00). */
export const sqlDate = (database: TestDatabase, ms: number): string | Date =>
  database.kind === "sqlite" ? new Date(ms).toISOString().replace("Z", "+00:00") : new Date(ms);
