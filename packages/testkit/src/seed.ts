/** What runs raw SQL with parameters: a Prisma client (`$executeRawUnsafe`) is enough. */
export interface ParamExecutor {
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<unknown>;
}

export interface SeededTokens {
  userId: string;
  count: number;
  /** Epoch ms. */
  expiresAt: number;
  /** The token that created them (they end when it does), or none. */
  parentId?: string | null;
  /** Each token created by the one before it (the first by `parentId`): a lineage `count` deep. */
  chain?: boolean;
}

/**
 * Writes `count` token rows in one statement, on SQLite or PostgreSQL: what as many create
 * requests would leave behind, minus the signing (their hashes are random, so no JWT matches
 * them), in a second instead of minutes of HTTP (Prisma's createMany takes ~4 ms a row on SQLite).
 */
export async function seedTokens(db: ParamExecutor, postgres: boolean, seed: SeededTokens): Promise<void> {
  const now = Date.now();
  const lifeSeconds = Math.max(1, Math.floor((seed.expiresAt - now) / 1000));
  const parentId = seed.parentId ?? null;
  if (postgres) {
    await db.$executeRawUnsafe(
      `WITH ids AS (SELECT i, gen_random_uuid()::text AS "id" FROM generate_series(1, $6) AS i)
       INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "parentId", "createdAt", "expiresAt")
       SELECT "id", $1, 'seeded ' || i, $2, md5(random()::text) || md5(random()::text),
              CASE WHEN $7 THEN coalesce(lag("id") OVER (ORDER BY i), $3) ELSE $3 END, $4::timestamptz, $5::timestamptz
         FROM ids`,
      seed.userId, lifeSeconds, parentId, new Date(now).toISOString(), new Date(seed.expiresAt).toISOString(), seed.count, seed.chain === true,
    );
    return;
  }
  // SQLite keeps dates as Prisma's ISO text with +00:00 (which sorts in time order).
  const sqliteDate = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  await db.$executeRawUnsafe(
    `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?),
          h(i, h) AS (SELECT i, lower(hex(randomblob(16))) FROM s),
          ids(i, "id") AS MATERIALIZED (SELECT i, substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21) FROM h)
     INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "parentId", "createdAt", "expiresAt")
     SELECT "id", ?, 'seeded ' || i, ?, lower(hex(randomblob(32))),
            CASE WHEN ? THEN coalesce(lag("id") OVER (ORDER BY i), ?) ELSE ? END, ?, ? FROM ids`,
    seed.count, seed.userId, lifeSeconds, seed.chain === true ? 1 : 0, parentId, parentId, sqliteDate(now), sqliteDate(seed.expiresAt),
  );
}
