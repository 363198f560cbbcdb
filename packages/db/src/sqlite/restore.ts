import fs from "node:fs";
import path from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { BackupFileError, inspectSqliteDatabase, summarize, type SqliteDatabaseSummary } from "./backup-file.js";
import { copySqlite, fsyncPath, siblingTempFile } from "./backup.js";
import { sqliteDate } from "./dates.js";

/** The database to restore into is open elsewhere: a running server, or another tokensmith command. */
export class DatabaseInUseError extends Error {}

export interface RestoreResult extends SqliteDatabaseSummary {
  /** Where the replaced database now is (with its -wal/-journal, if any); null if there was none. */
  kept: string | null;
  /** Tokens that had ended in the replaced database but are in force in the backup: they work again. */
  revived: string[];
}

/**
 * Revocation-feed numbers a follower may have seen, when the replaced database cannot tell: the
 * restored feed starts this far above the backup's, so no new entry reuses a number already given.
 */
const UNKNOWN_FEED_MARGIN = 1_000_000;
const SIDECARS = ["-wal", "-shm", "-journal"];

interface LiveDatabase {
  connection: Database | undefined;
  feedSequence: number | null;
  /** Tokens ended and not yet expired there: what followers and clients know as revoked. */
  ended: string[];
}

const NO_LIVE_DATABASE: LiveDatabase = { connection: undefined, feedSequence: null, ended: [] };

/**
 * Opens the database being replaced and makes sure nobody else has it open: leaving WAL mode needs
 * every other connection closed (SQLite answers SQLITE_BUSY otherwise), and an EXCLUSIVE lock
 * then keeps any new one out until the new file is in place. Leaving WAL mode also writes the
 * WAL back into the file, so the file alone is the whole replaced database. A file that is no
 * readable database is simply replaced.
 */
function lockLiveDatabase(file: string, now: number): LiveDatabase {
  if (!fs.existsSync(file)) return NO_LIVE_DATABASE;
  let db: Database | undefined;
  try {
    db = new Sqlite(file, { fileMustExist: true, timeout: 0 });
    if (db.pragma("journal_mode = DELETE", { simple: true }) !== "delete") throw Object.assign(new Error("busy"), { code: "SQLITE_BUSY" });
    db.exec("BEGIN EXCLUSIVE");
    const feedSequence = summarize(db).feedSequence;
    const ended = db
      .prepare(
        `SELECT "tokenId" FROM "TokenRevocation" WHERE "expiresAt" > @now
         UNION SELECT "id" FROM "AccessToken" WHERE "revokedAt" <= @now AND "expiresAt" > @now`,
      )
      .pluck()
      .all({ now: sqliteDate(now) }) as string[];
    return { connection: db, feedSequence, ended };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
      db?.close();
      throw new DatabaseInUseError(`${file} is in use: stop the server (and any other tokensmith command using it), then restore`);
    }
    // Not a database (any more), or one too old for the feed: nothing in it to keep track of.
    if (db?.inTransaction) return { ...NO_LIVE_DATABASE, connection: db };
    db?.close();
    return NO_LIVE_DATABASE;
  }
}

/**
 * Prepares the copy of the backup: its feed keeps counting above every number the replaced
 * database gave (a follower resuming from one of those misses no new entry), and the tokens it
 * brings back into force are listed.
 */
function adjustCopy(temp: string, live: LiveDatabase, now: number): { summary: SqliteDatabaseSummary; revived: string[] } {
  const copy = new Sqlite(temp);
  try {
    const backupSequence = summarize(copy).feedSequence;
    const floor = live.feedSequence ?? backupSequence + UNKNOWN_FEED_MARGIN;
    // sqlite_sequence exists in every Tokensmith database (AuditEvent counts with AUTOINCREMENT);
    // a row for a table that does not exist yet is used once a migration creates it.
    copy.prepare(`DELETE FROM sqlite_sequence WHERE "name" = 'TokenRevocation'`).run();
    copy.prepare(`INSERT INTO sqlite_sequence ("name", "seq") VALUES ('TokenRevocation', ?)`).run(Math.max(floor, backupSequence));
    const revived = copy
      .prepare(
        `SELECT "id" FROM "AccessToken" WHERE "id" IN (SELECT value FROM json_each(?))
           AND ("revokedAt" IS NULL OR "revokedAt" > ?) AND "expiresAt" > ? ORDER BY "id"`,
      )
      .pluck()
      .all(JSON.stringify(live.ended), sqliteDate(now), sqliteDate(now)) as string[];
    return { summary: summarize(copy), revived };
  } finally {
    copy.close();
  }
}

/**
 * Moves the replaced database aside as `<target>.before-restore-<time>`: a hard link to the file
 * (so `target` itself never goes missing) and its -wal/-shm/-journal renamed along, so that none
 * is ever applied to the restored file and the kept copy opens with them as it was.
 */
function keepReplaced(target: string, now: number): string {
  const kept = `${target}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
  fs.linkSync(target, kept);
  for (const sidecar of SIDECARS) {
    if (fs.existsSync(`${target}${sidecar}`)) fs.renameSync(`${target}${sidecar}`, `${kept}${sidecar}`);
  }
  return kept;
}

/** The restored file keeps the replaced one's permissions and, where we may, its owner (the server's user). */
function copyOwnership(from: string, to: string): void {
  const stat = fs.statSync(from);
  fs.chmodSync(to, stat.mode & 0o777);
  try {
    fs.chownSync(to, stat.uid, stat.gid);
  } catch {
    // Only root may give a file away; otherwise it is ours, as the replaced one presumably was.
  }
}

/**
 * Replaces the SQLite database at `target` with the backup `file`, atomically: the backup is
 * checked (see inspectSqliteDatabase), copied next to `target`, checked again, flushed, and renamed
 * over it; the replaced database is kept beside it. Refuses while anything has `target` open.
 */
export async function restoreSqlite(file: string, target: string, now = Date.now()): Promise<RestoreResult> {
  inspectSqliteDatabase(file);
  if (fs.existsSync(target) && fs.realpathSync(target) === fs.realpathSync(file)) throw new BackupFileError(`${file} is the database itself`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = siblingTempFile(target, "restore");
  let live: LiveDatabase = NO_LIVE_DATABASE;
  try {
    await copySqlite(file, temp);
    live = lockLiveDatabase(target, now);
    const { summary, revived } = adjustCopy(temp, live, now);
    inspectSqliteDatabase(temp, file);
    fsyncPath(temp);
    const existed = fs.existsSync(target);
    if (existed) copyOwnership(target, temp);
    const kept = existed ? keepReplaced(target, now) : null;
    fs.renameSync(temp, target);
    fsyncPath(path.dirname(target));
    return { ...summary, kept, revived };
  } finally {
    // Released only now: until the rename, no server could open the old file and start on it.
    if (live.connection?.inTransaction) live.connection.exec("ROLLBACK");
    live.connection?.close();
    fs.rmSync(temp, { force: true });
  }
}
