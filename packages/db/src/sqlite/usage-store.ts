import type { Database } from "better-sqlite3";
import type { Db } from "../database.js";
import type { UsageRow, UsageStore } from "../contracts.js";
import { ADD_TO_STORED_USAGE, createUsageStore, INSERT_USAGE } from "../usage-store.js";
import { sqliteDate } from "./dates.js";
import type { WriteGate } from "./write-gate.js";

/**
 * SQLite's usage store: reads through Prisma like PostgreSQL's, but the minute's flush — up to
 * ~100,000 rows with many tokens in use — through one prepared upsert in a synchronous
 * transaction per add() (all rows or none), outside any transaction of Prisma's (the write gate).
 * Through Prisma, each row built a query fragment, a Date and serialized parameters that lived
 * long enough to be promoted: every resident-memory peak of the 1,000,000-request benchmark lined
 * up with a flush (CHANGELOG.md, Performance).
 */
export function createSqliteUsageStore(db: Db, conn: Database, gate: WriteGate): UsageStore {
  const upsert = conn.prepare(`${INSERT_USAGE} VALUES (?, ?, ?, ?, ?, ?) ${ADD_TO_STORED_USAGE}`);
  const addAll = conn.transaction((rows: readonly UsageRow[]) => {
    for (const row of rows) upsert.run(row.tokenId, sqliteDate(row.hour), row.allowed, row.unauthorized, row.forbidden, row.limited);
  });
  return {
    ...createUsageStore(db),
    async add(rows) {
      if (rows.length === 0) return;
      // One chunk per turn of the event loop, never back to back (which would hold every request
      // up for the whole flush): the write gate runs what it is given on a later turn.
      await gate.run(() => addAll.immediate(rows));
    },
  };
}
