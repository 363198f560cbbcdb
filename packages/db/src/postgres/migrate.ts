import { randomUUID } from "node:crypto";
import type pg from "pg";
import { readMigrations } from "../migrations.js";
import { POSTGRES_MIGRATIONS_DIR } from "../paths.js";

/** Any constant: every instance asks for the same lock, so only one migrates at a time. */
const MIGRATION_LOCK = 7_290_113_004;

/**
 * Applies pending migrations (prisma/postgres/migrations), recorded in Prisma's own
 * `_prisma_migrations` table. Instances starting together take turns on an advisory lock: the
 * first migrates, the others then find nothing pending. `whileLocked` runs before the lock is let
 * go, so first-start work (the first admin, the signing secret) also happens exactly once.
 */
export async function applyPostgresMigrations(
  client: pg.Client,
  whileLocked: () => Promise<void> = async () => {},
  dir: string = POSTGRES_MIGRATIONS_DIR,
): Promise<string[]> {
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      `SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`,
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) throw new Error(`Migration ${failed.migration_name} failed earlier; fix the database before starting again`);
    const applied = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
    const pending = readMigrations(dir).filter((m) => !applied.has(m.name));
    for (const migration of pending) {
      // PostgreSQL's DDL is transactional: a migration applies whole or not at all.
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
    }
    await whileLocked();
    return pending.map((m) => m.name);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
  }
}
