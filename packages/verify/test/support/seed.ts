import { openDatabase } from "@tokensmith/db";

/**
 * Writes `count` tokens created by `parentId` (its children, ending when it does) straight into
 * the store, through @tokensmith/db's client, in one statement: what `count` create requests under
 * that token would leave behind, minus the signing, in well under a second instead of minutes of
 * HTTP (and Prisma's createMany takes ~4 ms a row on SQLite). Their JWTs do not exist: the test
 * signs a few real children through the API as well.
 */
export async function seedChildren(databaseUrl: string, parentId: string, count: number): Promise<void> {
  const opened = await openDatabase(databaseUrl);
  try {
    const parent = await opened.db.accessToken.findUniqueOrThrow({ where: { id: parentId } });
    const now = Date.now();
    const lifeSeconds = Math.floor((parent.expiresAt.getTime() - now) / 1000);
    if (/^postgres/.test(databaseUrl)) {
      await opened.db.$executeRawUnsafe(
        `INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "parentId", "createdAt", "expiresAt")
         SELECT gen_random_uuid()::text, $1, 'seeded child ' || i, $2, md5(random()::text) || md5(random()::text), $3, $4::timestamptz, $5::timestamptz
           FROM generate_series(1, $6) AS i`,
        parent.userId, lifeSeconds, parentId, new Date(now).toISOString(), parent.expiresAt.toISOString(), count,
      );
      return;
    }
    // SQLite keeps dates as Prisma's ISO text with +00:00 (which sorts in time order).
    const sqliteDate = (date: Date) => date.toISOString().replace("Z", "+00:00");
    await opened.db.$executeRawUnsafe(
      `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?),
            ids(i, h) AS (SELECT i, lower(hex(randomblob(16))) FROM s)
       INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "parentId", "createdAt", "expiresAt")
       SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21),
              ?, 'seeded child ' || i, ?, lower(hex(randomblob(32))), ?, ?, ? FROM ids`,
      count, parent.userId, lifeSeconds, parentId, sqliteDate(new Date(now)), sqliteDate(parent.expiresAt),
    );
  } finally {
    await opened.close();
  }
}
