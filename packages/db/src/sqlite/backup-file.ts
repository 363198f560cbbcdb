import fs from "node:fs";
import Sqlite, { type Database } from "better-sqlite3";
import { readMigrations } from "../migrations.js";
import { MIGRATIONS_DIR } from "../paths.js";

/** A backup or restore that cannot go ahead: a file missing, not SQLite, damaged, not ours, or in the way. */
export class BackupFileError extends Error {}

/** What a Tokensmith SQLite database holds, as far as backing up and restoring need to know. */
export interface SqliteDatabaseSummary {
  users: number;
  tokens: number;
  /** Signing keys, sealed with the master secret (none in a database of a release before them). */
  keys: { kid: string; alg: string; sealedKey: string }[];
  /** The highest revocation-feed number it ever gave (SQLite's AUTOINCREMENT counter). */
  feedSequence: number;
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
/** The first migration of every Tokensmith database. */
const FIRST_MIGRATION = "20261121000000_init";

const hasTable = (db: Database, name: string) =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

/** The counts and keys of an open Tokensmith database (tables of later releases may be missing). */
export function summarize(db: Database): SqliteDatabaseSummary {
  const count = (table: string) => (hasTable(db, table) ? (db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number) : 0);
  const keys = hasTable(db, "SigningKey")
    ? (db.prepare(`SELECT "kid", "alg", "sealedKey" FROM "SigningKey"`).all() as SqliteDatabaseSummary["keys"])
    : [];
  const sequence = hasTable(db, "sqlite_sequence")
    ? (db.prepare(`SELECT "seq" FROM sqlite_sequence WHERE "name" = 'TokenRevocation'`).pluck().get() as number | undefined)
    : undefined;
  return { users: count("User"), tokens: count("AccessToken"), keys, feedSequence: sequence ?? 0 };
}

/**
 * Checks that `file` is an intact Tokensmith SQLite database this release can run — its header,
 * SQLite's quick_check, and Prisma's migration history (ours, none failed, none from a newer
 * release) — and summarizes it. Throws BackupFileError, naming the file as `label`, otherwise.
 */
export function inspectSqliteDatabase(file: string, label = file): SqliteDatabaseSummary {
  const refuse = (message: string) => new BackupFileError(message);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw refuse(`${label}: no such file`);
  }
  if (!stat.isFile()) throw refuse(`${label} is not a file`);
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw refuse(`${label} is not an SQLite database`);

  let db: Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw refuse(`${label} is damaged (SQLite's quick_check says: ${String(check).slice(0, 200)})`);
    if (!hasTable(db, "_prisma_migrations")) throw refuse(`${label} is not a Tokensmith database (it has no migration history)`);
    const applied = db.prepare(`SELECT "migration_name" AS name, "finished_at" AS finished, "rolled_back_at" AS rolledBack FROM "_prisma_migrations"`).all() as {
      name: string;
      finished: string | null;
      rolledBack: string | null;
    }[];
    if (!applied.some((m) => m.name === FIRST_MIGRATION && m.finished !== null)) {
      throw refuse(`${label} is not a Tokensmith database (its migrations are not Tokensmith's)`);
    }
    const failed = applied.find((m) => m.finished === null && m.rolledBack === null);
    if (failed) throw refuse(`${label}: its migration ${failed.name} did not finish`);
    const known = new Set(readMigrations(MIGRATIONS_DIR).map((m) => m.name));
    const newer = applied.find((m) => m.finished !== null && !known.has(m.name));
    if (newer) throw refuse(`${label} was made by a newer release of Tokensmith (migration ${newer.name}): restore it with that release`);
    for (const table of ["User", "AccessToken"]) {
      if (!hasTable(db, table)) throw refuse(`${label} is not a Tokensmith database (no ${table} table)`);
    }
    return summarize(db);
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    // SQLITE_NOTADB, SQLITE_CORRUPT, a missing column…: whatever it is, it is no database of ours.
    throw refuse(`${label} is not a readable Tokensmith database (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}
