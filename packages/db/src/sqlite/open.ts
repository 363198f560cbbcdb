import fs from "node:fs";
import path from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.js";
import type { OpenedDatabase, OpenOptions } from "../database.js";
import { applyMigrations } from "./migrate.js";
import { createTokenReader } from "./token-reader.js";
import { openCommitProbe } from "./commit-probe.js";
import { createSqliteTokenWriter } from "./token-writer.js";
import { createSqliteAttemptCounter } from "./attempts.js";
import { createWriteGate } from "./write-gate.js";
import { createSqliteAccountWriter } from "./account-writer.js";
import { createKeyStore } from "../key-store.js";
import { createRevocationLog } from "../revocation-log.js";
import { createSqliteUsageStore } from "./usage-store.js";
import { createRateWindowStore } from "../rate-window-store.js";
import { createSqliteUseStore } from "./use-store.js";
import { createSqliteDpopProofStore } from "./dpop-proofs.js";
import { createSqliteKnownClientStore } from "./known-clients.js";
import { createCommitWatch } from "./watch.js";
import { createSqliteRetentionStore } from "./retention.js";
import { createSqliteWebhookQueue } from "./webhook-queue.js";
import { schemaCheck } from "../schema-check.js";
import { MIGRATIONS_DIR } from "../paths.js";
import { createTokenPause } from "../token-pause.js";

/**
 * Prisma's adapter opens its own better-sqlite3 connection; we keep a handle on it so that our
 * synchronous transactions run on the same connection as Prisma's statements. Two writer
 * connections in one process could wait on each other's locks while blocking the event loop.
 */
function adapterKeepingConnection(file: string): { adapter: PrismaBetterSqlite3; connection: () => Database } {
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  let connection: Database | undefined;
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const opened = await connect();
    connection = (opened as unknown as { client: Database }).client;
    return opened;
  };
  return {
    adapter,
    connection: () => {
      if (!connection) throw new Error("Prisma has not connected to SQLite yet");
      return connection;
    },
  };
}

/**
 * Opens (creating if needed) the SQLite file, applies pending migrations, and returns a Prisma
 * client over better-sqlite3. WAL lets readers go on while a write commits.
 */
export async function openSqlite(file: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new Sqlite(file);
  let appliedMigrations: string[];
  try {
    raw.pragma("journal_mode = WAL");
    appliedMigrations = applyMigrations(raw);
  } finally {
    raw.close();
  }
  const { adapter, connection } = adapterKeepingConnection(file);
  const db = new PrismaClient({ adapter });
  await db.$connect();
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  // better-sqlite3 is built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1: in WAL mode a commit is then
  // not on disk until the next checkpoint, and a power loss or an OS crash could undo a revocation
  // already answered with 204 (the token would be in force again). FULL syncs the WAL at each commit.
  await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
  await options.startup?.(db);
  const conn = connection();
  const gate = createWriteGate(conn);
  // The -shm file exists once a connection has read in WAL mode: read once, then open the probe.
  // Closed after every connection (see commit-probe.ts).
  conn.prepare("SELECT count(*) FROM sqlite_master").get();
  const commitProbe = openCommitProbe(file);
  const tokens = createTokenReader(file, { commitProbe, maxCachedRows: options.cachedTokenRows });
  const commits = createCommitWatch(file);
  return {
    db,
    target: { kind: "sqlite", file },
    appliedMigrations,
    tokens,
    tokenWriter: { ...createSqliteTokenWriter(conn, gate), setPaused: createTokenPause(db) },
    attempts: createSqliteAttemptCounter(conn, gate),
    accounts: createSqliteAccountWriter(conn, gate),
    keys: createKeyStore(db, "sqlite"),
    usage: createSqliteUsageStore(db, conn, gate),
    rateWindows: createRateWindowStore(db),
    uses: createSqliteUseStore(conn, gate),
    dpopProofs: createSqliteDpopProofStore(conn, gate),
    knownClients: createSqliteKnownClientStore(db, conn),
    webhooks: createSqliteWebhookQueue(conn, gate),
    revocations: createRevocationLog(db, commits.watch),
    retention: createSqliteRetentionStore(conn, gate),
    cacheLive: () => true,
    pools: () => [],
    schemaCurrent: schemaCheck(db, MIGRATIONS_DIR),
    close: async () => {
      commits.close();
      tokens.close();
      await db.$disconnect();
      commitProbe?.close();
    },
  };
}
