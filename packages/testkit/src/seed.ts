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
  /**
   * Spread creation back in time: token i (from 1) was created i × this many ms ago and ends as
   * long after. Without it every token shares one creation time and `expiresAt`.
   */
  createdEveryMs?: number;
}

/**
 * Writes `count` token rows in one statement, on SQLite or PostgreSQL: what as many create
 * requests would leave behind, minus the signing (their hashes are random, so no JWT matches
 * them), in a second instead of minutes of HTTP (Prisma's createMany takes ~4 ms a row on SQLite).
 * Descriptions are "seeded <i> billing" for every seventh token and "seeded <i> reports" otherwise,
 * so a search has words to find.
 */
export async function seedTokens(db: ParamExecutor, postgres: boolean, seed: SeededTokens): Promise<void> {
  const now = Date.now();
  const lifeSeconds = Math.max(1, Math.floor((seed.expiresAt - now) / 1000));
  const parentId = seed.parentId ?? null;
  const step = seed.createdEveryMs ?? 0;
  if (postgres) {
    await db.$executeRawUnsafe(
      `WITH ids AS (SELECT i, gen_random_uuid()::text AS "id" FROM generate_series(1, $6) AS i)
       INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "parentId", "createdAt", "expiresAt")
       SELECT "id", $1, 'seeded ' || i || CASE WHEN i % 7 = 0 THEN ' billing' ELSE ' reports' END, $2, md5(random()::text) || md5(random()::text),
              CASE WHEN $7 THEN coalesce(lag("id") OVER (ORDER BY i), $3) ELSE $3 END,
              $4::timestamptz - i * $8 * interval '1 millisecond', $5::timestamptz - i * $8 * interval '1 millisecond'
         FROM ids`,
      seed.userId, lifeSeconds, parentId, new Date(now).toISOString(), new Date(seed.expiresAt).toISOString(), seed.count, seed.chain === true, step,
    );
    return;
  }
  await db.$executeRawUnsafe(
    `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?),
          h(i, h) AS (SELECT i, lower(hex(randomblob(16))) FROM s),
          ids(i, "id", c, e) AS MATERIALIZED (SELECT i, ${uuidV4("h")}, ? - i * ?, ? - i * ? FROM h)
     INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "parentId", "createdAt", "expiresAt")
     SELECT "id", ?, 'seeded ' || i || CASE WHEN i % 7 = 0 THEN ' billing' ELSE ' reports' END, ?, lower(hex(randomblob(32))),
            CASE WHEN ? THEN coalesce(lag("id") OVER (ORDER BY i), ?) ELSE ? END,
            ${sqliteDate("c")}, ${sqliteDate("e")} FROM ids`,
    seed.count, now, step, seed.expiresAt, step, seed.userId, lifeSeconds, seed.chain === true ? 1 : 0, parentId, parentId,
  );
}

/**
 * SQL for the SQLite date at the epoch-ms column `ms`, as Prisma keeps dates there: ISO text with
 * milliseconds and +00:00 (which sorts in time order). Integer arithmetic: the milliseconds are exact.
 */
function sqliteDate(ms: string): string {
  return `(strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || '.' || printf('%03d', ${ms} % 1000) || '+00:00')`;
}

/** SQL for a version-4 UUID (as zod and gen_random_uuid() have them) from 32 random hex digits in `hex`. */
function uuidV4(hex: string): string {
  const variant = `substr('89ab', 1 + (instr('0123456789abcdef', substr(${hex}, 17, 1)) - 1) % 4, 1)`;
  return `substr(${hex}, 1, 8) || '-' || substr(${hex}, 9, 4) || '-4' || substr(${hex}, 14, 3) || '-' || ${variant} || substr(${hex}, 18, 3) || '-' || substr(${hex}, 21)`;
}
