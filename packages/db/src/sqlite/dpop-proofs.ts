import type { Database } from "better-sqlite3";
import type { DpopProofStore } from "../contracts.js";
import { sqliteDate } from "./dates.js";
import type { WriteGate } from "./write-gate.js";

/**
 * DPoP proofs seen, on SQLite: one INSERT that does nothing on a key already there, through the
 * write gate. SQLite's write lock serialises every process on the file, so two workers presenting
 * one proof at once record it once: one gets the row, the other a replay.
 */
export function createSqliteDpopProofStore(conn: Database, gate: WriteGate): DpopProofStore {
  const insert = conn.prepare(`INSERT INTO "DpopProof" ("key", "expiresAt") VALUES (?, ?) ON CONFLICT ("key") DO NOTHING`);
  const prune = conn.prepare(
    `DELETE FROM "DpopProof" WHERE "key" IN (SELECT "key" FROM "DpopProof" WHERE "expiresAt" <= ? ORDER BY "expiresAt" LIMIT ?)`,
  );
  return {
    claim: (key, expiresAt) => gate.run(() => insert.run(key, sqliteDate(expiresAt)).changes === 1),
    prune: (now, batch) => gate.run(() => prune.run(sqliteDate(now), batch).changes),
  };
}
