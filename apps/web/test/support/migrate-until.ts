import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { applyMigrations, applyPostgresMigrations, MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from "@tokensmith/db";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Brings a test database to what an earlier release left: every migration named before `first`,
 * applied by the service's own migrators (on a copy of the migrations folder without the later ones).
 */
export async function migrateUntil(database: TestDatabase, first: string): Promise<void> {
  const source = database.kind === "sqlite" ? MIGRATIONS_DIR : POSTGRES_MIGRATIONS_DIR;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-migrations-"));
  try {
    for (const name of fs.readdirSync(source)) {
      if (fs.statSync(path.join(source, name)).isDirectory() && name < first) fs.cpSync(path.join(source, name), path.join(dir, name), { recursive: true });
    }
    if (database.kind === "sqlite") {
      const db = new Sqlite(database.file!);
      try {
        applyMigrations(db, dir);
      } finally {
        db.close();
      }
      return;
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await applyPostgresMigrations(client, async () => {}, dir);
    } finally {
      await client.end();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
