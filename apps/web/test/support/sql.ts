import { randomUUID } from "node:crypto";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { LISTENER_APPLICATION_NAME, SYNC_CHANNEL } from "@tokensmith/db";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Runs one statement on a test database from outside the server — a second connection, as an
 * operator's would be. `?` placeholders on both databases (turned into $1, $2… for PostgreSQL).
 * On PostgreSQL a write returns once every running server has heard of it: a server learns of an
 * operator's change from the notification its commit sends, a moment later, not at once.
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
    const result = await client.query(text.replace(/\?/g, () => `$${++n}`), params);
    if (result.command !== "SELECT") await heardByServers(client);
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Resolves once every server listening on this database has acknowledged a sync sent after the
 * caller's commit — the exchange ChangeFeed.settled makes after a write of our own. PostgreSQL
 * delivers notifications in commit order, so a server that acknowledged has dropped the rows the
 * commit changed. The listeners are counted again while waiting: a server just stopped may linger
 * in pg_stat_activity for a moment.
 */
async function heardByServers(client: pg.Client, timeoutMs = 10_000): Promise<void> {
  const id = randomUUID();
  let acks = 0;
  client.on("notification", (message) => {
    if (message.channel === SYNC_CHANNEL && message.payload === `ack:${id}`) acks++;
  });
  await client.query(`LISTEN ${SYNC_CHANNEL}`);
  await client.query("SELECT pg_notify($1, $2)", [SYNC_CHANNEL, `sync:${id}`]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ listeners: number }>(
      "SELECT count(*)::int AS listeners FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
      [LISTENER_APPLICATION_NAME],
    );
    if (acks >= rows[0]!.listeners) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]!.listeners - acks} listening server(s) did not acknowledge a change within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
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
