import type { Database } from "better-sqlite3";
import type { RetentionStore } from "../contracts.js";
import { sqliteDate } from "./dates.js";
import type { WriteGate } from "./write-gate.js";

/**
 * Retention on SQLite: each batch is one short IMMEDIATE transaction on the service's own writer
 * connection (through the write gate, like every other write of ours), so it never waits on a lock
 * while holding the event loop, and requests get the connection between batches.
 */
export function createSqliteRetentionStore(conn: Database, gate: WriteGate): RetentionStore {
  const sessions = conn.prepare(`DELETE FROM "Session" WHERE "id" IN (SELECT "id" FROM "Session" WHERE "expiresAt" <= ? LIMIT ?)`);
  const audit = conn.prepare(`DELETE FROM "AuditEvent" WHERE "id" IN (SELECT "id" FROM "AuditEvent" WHERE "at" < ? LIMIT ?)`);
  // Two index range scans (expiresAt; revokedAt, expiresAt) rather than one OR, which would scan.
  const expiredLongAgo = conn.prepare(`SELECT "id" FROM "AccessToken" WHERE "expiresAt" <= ? LIMIT ?`).pluck();
  const revokedLongAgo = conn
    .prepare(`SELECT "id" FROM "AccessToken" WHERE "revokedAt" <= ? AND "expiresAt" <= ? LIMIT ?`)
    .pluck();
  // The rule once more in the DELETE itself: whatever chose the ids, no token whose JWT still
  // verifies (expiresAt ahead) loses its row.
  const deleteTokens = conn
    .prepare(
      `DELETE FROM "AccessToken" WHERE "id" IN (SELECT value FROM json_each(@ids))
         AND "expiresAt" <= @now AND ("expiresAt" <= @endedBefore OR "revokedAt" <= @endedBefore)
       RETURNING "id"`,
    )
    .pluck();
  const deleteUsage = conn.prepare(`DELETE FROM "TokenUsage" WHERE "tokenId" IN (SELECT value FROM json_each(?))`);
  const oldUsage = conn.prepare(
    `DELETE FROM "TokenUsage" WHERE rowid IN (SELECT rowid FROM "TokenUsage" WHERE "hour" < ? LIMIT ?)`,
  );
  const deleteFeed = conn.prepare(`DELETE FROM "TokenRevocation" WHERE "tokenId" IN (SELECT value FROM json_each(?))`);

  const endedTokens = conn.transaction((endedBefore: string, now: string, batch: number): number => {
    const candidates = new Set<string>([...(expiredLongAgo.all(endedBefore, batch) as string[]), ...(revokedLongAgo.all(endedBefore, now, batch) as string[])]);
    if (candidates.size === 0) return 0;
    const ids = JSON.stringify([...candidates].slice(0, batch));
    const deleted = deleteTokens.all({ ids, now, endedBefore }) as string[];
    deleteUsage.run(JSON.stringify(deleted));
    deleteFeed.run(JSON.stringify(deleted));
    return deleted.length;
  });

  return {
    deleteExpiredSessions: (now, batch) => gate.run(() => sessions.run(sqliteDate(now), batch).changes),
    deleteAuditEvents: (before, batch) => gate.run(() => audit.run(sqliteDate(before), batch).changes),
    deleteEndedTokens: (endedBefore, now, batch) => gate.run(() => endedTokens.immediate(sqliteDate(endedBefore), sqliteDate(now), batch)),
    deleteUsageBefore: (before, batch) => gate.run(() => oldUsage.run(sqliteDate(before), batch).changes),
  };
}
