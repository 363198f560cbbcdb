import fs from "node:fs";
import path from "node:path";
import {
  backupSqlite,
  BackupFileError,
  DatabaseInUseError,
  inspectSqliteDatabase,
  parseDatabaseUrl,
  restoreSqlite,
  type RestoreResult,
  type SqliteDatabaseSummary,
} from "@tokensmith/db";
import type { MasterSecret } from "@tokensmith/core";
import { loadConfig, type SecretSource } from "../config.js";
import { sealContext } from "../keys/bootstrap.js";
import { loadMasterSecret } from "../keys/master-secret-source.js";

/** Why a backup or restore did not happen, in one line for an operator. */
export class BackupError extends Error {}

type Env = Record<string, string | undefined>;

const POSTGRES_BACKUP_ADVICE =
  "backup and restore work on SQLite only. On PostgreSQL use its own tools — pg_dump -Fc to back up, pg_restore to restore — " +
  "and keep TOKENSMITH_SECRET (or TOKENSMITH_SECRET_FILE's file) as well: the signing keys in the dump open with nothing else";

/** Where the master secret is, in words for an operator (never the secret itself). */
function describeSecret(source: SecretSource): string {
  return source.kind === "value" ? "TOKENSMITH_SECRET" : source.file;
}

/** The SQLite file DATABASE_URL names, and where its secret is; PostgreSQL is refused. */
function sqliteConfig(env: Env) {
  let target;
  try {
    target = parseDatabaseUrl(env.DATABASE_URL || undefined);
  } catch (error) {
    throw new BackupError((error as Error).message);
  }
  if (target.kind === "postgres") throw new BackupError(POSTGRES_BACKUP_ADVICE);
  return { database: target.file, secret: loadConfig(env).secret };
}

/** The expected refusals become BackupErrors; anything else is a bug and keeps its stack. */
const asBackupError = (error: unknown): never => {
  if (error instanceof BackupFileError || error instanceof DatabaseInUseError) throw new BackupError(error.message);
  throw error;
};

export interface BackupOutcome extends SqliteDatabaseSummary {
  database: string;
  file: string;
  bytes: number;
  /** Where the master secret that opens the copy's keys is (a file, or TOKENSMITH_SECRET). */
  secret: string;
}

/** `tokensmith backup FILE`: a consistent copy of the (possibly running) SQLite database. */
export async function backupDatabase(env: Env, file: string, options: { force: boolean }): Promise<BackupOutcome> {
  const { database, secret } = sqliteConfig(env);
  const target = path.resolve(file);
  const copied = await backupSqlite(database, target, options).catch(asBackupError);
  return { ...copied, database, file: target, secret: describeSecret(secret) };
}

/** The master secret a restore will run with; never created here (that would make a new, wrong one). */
function existingSecret(source: SecretSource): MasterSecret {
  if (source.kind === "file" && !fs.existsSync(source.file)) {
    throw new BackupError(
      `There is no master secret at ${source.file}: put the secret kept with this backup there (or set TOKENSMITH_SECRET), then restore again`,
    );
  }
  try {
    return loadMasterSecret(source, () => undefined);
  } catch (error) {
    throw new BackupError(`The master secret (${describeSecret(source)}) cannot be used: ${(error as Error).message}`);
  }
}

export interface RestoreOutcome extends RestoreResult {
  database: string;
}

/**
 * `tokensmith restore FILE`: checks FILE is a Tokensmith database whose signing keys open with this
 * master secret (a server would refuse to start otherwise), then puts it in place of the database
 * — which nothing may have open: stop the server first.
 */
export async function restoreDatabase(env: Env, file: string): Promise<RestoreOutcome> {
  const { database, secret: source } = sqliteConfig(env);
  const backup = path.resolve(file);
  let summary: SqliteDatabaseSummary;
  try {
    summary = inspectSqliteDatabase(backup);
  } catch (error) {
    return asBackupError(error);
  }
  const secret = existingSecret(source);
  for (const key of summary.keys) {
    try {
      secret.open(key.sealedKey, sealContext(key.kid, key.alg));
    } catch {
      throw new BackupError(
        `The signing keys in ${backup} do not open with the master secret (${describeSecret(source)}): restore needs the secret that was in use when the backup was taken`,
      );
    }
  }
  const restored = await restoreSqlite(backup, database).catch(asBackupError);
  return { ...restored, database };
}
