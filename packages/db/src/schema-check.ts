import type { Db } from "./database.js";
import { readMigrations } from "./migrations.js";

/**
 * Whether the database holds the schema this build expects: the newest migration it ships is
 * recorded as finished. One indexed-size read (the migrations table has a few dozen rows), so a
 * readiness probe can ask it; a database that cannot be reached throws.
 */
export function schemaCheck(db: Db, migrationsDir: string): () => Promise<boolean> {
  const newest = readMigrations(migrationsDir).at(-1)?.name ?? "";
  return async () => {
    const rows = await db.$queryRaw<unknown[]>`SELECT 1 AS "ok" FROM "_prisma_migrations" WHERE "migration_name" = ${newest} AND "finished_at" IS NOT NULL`;
    return rows.length > 0;
  };
}
