import fs from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.js";
import { applyMigrations } from "./migrate.js";
import { createTokenReader, type TokenReader } from "./token-reader.js";

export type Db = PrismaClient;

export interface OpenedDatabase {
  db: Db;
  file: string;
  /** Names of the migrations this start applied (empty when the schema was current). */
  appliedMigrations: string[];
  /** Prepared-statement reads for the authenticated hot path. */
  tokens: TokenReader;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the SQLite file, applies pending migrations, and returns a Prisma
 * client over better-sqlite3. WAL lets readers go on while a write commits.
 */
export async function openDatabase(file: string): Promise<OpenedDatabase> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new Sqlite(file);
  let appliedMigrations: string[];
  try {
    raw.pragma("journal_mode = WAL");
    appliedMigrations = applyMigrations(raw);
  } finally {
    raw.close();
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5000 });
  const db = new PrismaClient({ adapter });
  await db.$connect();
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  const tokens = createTokenReader(file);
  return {
    db,
    file,
    appliedMigrations,
    tokens,
    close: async () => {
      tokens.close();
      await db.$disconnect();
    },
  };
}
