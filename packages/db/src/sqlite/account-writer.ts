import type { Database } from "better-sqlite3";
import type { AccountWriter } from "../contracts.js";
import type { WriteGate } from "./write-gate.js";

/** Account writes on SQLite that must not be split: one synchronous transaction each. */
export function createSqliteAccountWriter(conn: Database, gate: WriteGate): AccountWriter {
  const setPassword = conn.prepare(`UPDATE "User" SET "passwordHash" = ? WHERE "id" = ?`);
  const endSessions = conn.prepare(`DELETE FROM "Session" WHERE "userId" = ?`);
  // Whoever knew the old password is no longer a known client: no budget of theirs outlives it.
  const forgetClients = conn.prepare(`DELETE FROM "KnownClient" WHERE "userId" = ?`);
  const resetPassword = conn.transaction((userId: string, passwordHash: string) => {
    setPassword.run(passwordHash, userId);
    endSessions.run(userId);
    forgetClients.run(userId);
  });
  return { resetPassword: (userId, hash) => gate.run(() => resetPassword.immediate(userId, hash)) };
}
