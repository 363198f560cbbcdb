import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { BackupFileError, inspectSqliteDatabase, type SqliteDatabaseSummary } from "./backup-file.js";

/**
 * Pages per backup step: all of them (better-sqlite3's first step only counts them). SQLite
 * restarts a backup whose source another connection changed between steps, so in small steps a
 * busy server could keep it restarting; in one step it is one consistent read.
 */
const ALL_PAGES = 0x7fffffff;

/** A file of our own next to `target` (same directory, so a rename is atomic), readable by its owner only. */
export function siblingTempFile(target: string, purpose: string): string {
  const file = path.join(path.dirname(target), `.${path.basename(target)}.${purpose}-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(file, "", { mode: 0o600, flag: "wx" });
  return file;
}

/** Flushes a file — or a directory, making a rename in it durable — to disk. */
export function fsyncPath(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Copies the database `source` into the (empty) file `temp` with SQLite's online backup API — a
 * consistent snapshot, even while a server writes to it (in WAL mode writers go on meanwhile) —
 * and switches the copy out of WAL mode, so that it is one self-contained file.
 */
export async function copySqlite(source: string, temp: string): Promise<void> {
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(temp, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const copy = new Sqlite(temp);
  try {
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
}

/**
 * Copies the SQLite database at `source` — possibly in use by a running server — into `target`.
 * The copy is written next to `target`, checked, flushed to disk, and only then put in place:
 * `target` is never half written. Without `force`, an existing `target` is left alone.
 */
export async function backupSqlite(source: string, target: string, options: { force: boolean }): Promise<SqliteDatabaseSummary & { bytes: number }> {
  if (!fs.existsSync(source)) throw new BackupFileError(`There is no database at ${source}`);
  if (!fs.existsSync(path.dirname(target))) throw new BackupFileError(`${target}: the folder ${path.dirname(target)} does not exist`);
  if (fs.existsSync(target)) {
    if (fs.statSync(target).isDirectory()) throw new BackupFileError(`${target} is a folder; give a file name`);
    if (fs.realpathSync(target) === fs.realpathSync(source)) throw new BackupFileError(`${target} is the database itself`);
    if (!options.force) throw new BackupFileError(`${target} exists; give --force to overwrite it`);
  }
  const temp = siblingTempFile(target, "backup");
  try {
    await copySqlite(source, temp);
    const summary = inspectSqliteDatabase(temp, `The copy of ${source}`);
    fsyncPath(temp);
    if (options.force) fs.renameSync(temp, target);
    else {
      // A hard link fails if the name was taken meanwhile: never overwrite without --force.
      try {
        fs.linkSync(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new BackupFileError(`${target} exists; give --force to overwrite it`);
        throw error;
      }
      fs.rmSync(temp);
    }
    fsyncPath(path.dirname(target));
    return { ...summary, bytes: fs.statSync(target).size };
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
