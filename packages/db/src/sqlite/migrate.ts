import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import { MIGRATIONS_DIR } from "../paths.js";
import { readMigrations } from "../migrations.js";

/**
 * Applies pending Prisma migrations (prisma/migrations/<name>/migration.sql) with better-sqlite3,
 * recording them in Prisma's own `_prisma_migrations` table so the Prisma CLI, where it runs,
 * sees the same history. The Prisma CLI needs a native engine that cannot be fetched offline;
 * applying on start also suits a self-hosted service.
 */
export function applyMigrations(db: Database, dir: string = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`);
  const rows = db
    .prepare(`SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`)
    .all() as { migration_name: string; finished_at: string | null; rolled_back_at: string | null }[];
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new Error(`Migration ${failed.migration_name} failed earlier; fix the database before starting again`);
  }
  const applied = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
  const pending = readMigrations(dir).filter((m) => !applied.has(m.name));

  for (const { name, sql, checksum } of pending) {
    // Prisma's SQLite table redefinitions need foreign keys off, which SQLite honours only outside a transaction.
    db.pragma("foreign_keys = OFF");
    try {
      db.transaction(() => {
        db.exec(sql);
        const violations = db.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) throw new Error(`Migration ${name} breaks ${violations.length} foreign keys`);
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES (?, ?, current_timestamp, ?, 1)`,
        ).run(randomUUID(), checksum, name);
      })();
    } finally {
      db.pragma("foreign_keys = ON");
    }
  }
  return pending.map((m) => m.name);
}
