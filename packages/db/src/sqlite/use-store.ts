import type { Database } from "better-sqlite3";
import type { UseStore } from "../use-contracts.js";
import type { OutboxEvent } from "../webhook-contracts.js";
import type { WriteGate } from "./write-gate.js";
import { createSqliteOutbox } from "./outbox.js";

/**
 * Uses of use-limited tokens on SQLite: the conditional UPDATE and, at the last use, its webhook
 * event, in one IMMEDIATE transaction through the write gate. SQLite's write lock serialises every
 * process on the file, so the count is exact across workers.
 */
export function createSqliteUseStore(conn: Database, gate: WriteGate): UseStore {
  const take = conn
    .prepare(`UPDATE "AccessToken" SET "usesLeft" = "usesLeft" - ? WHERE "id" = ? AND "usesLeft" >= ? RETURNING "usesLeft", "description"`)
    .safeIntegers(false);
  const giveBack = conn
    .prepare(`UPDATE "AccessToken" SET "usesLeft" = min("usesLeft" + ?, "maxUses") WHERE "id" = ? AND "usesLeft" IS NOT NULL`)
    .safeIntegers(false);
  const writeEvents = createSqliteOutbox(conn);
  type Exhausted = (token: { description: string }) => readonly OutboxEvent[];
  const spend = conn.transaction((tokenId: string, count: number, exhausted: Exhausted): number | null => {
    const row = take.get(count, tokenId, count) as { usesLeft: number; description: string } | undefined;
    if (!row) return null;
    if (row.usesLeft === 0) writeEvents(exhausted(row));
    return row.usesLeft;
  });
  return {
    spend: (tokenId, count, exhausted) => gate.run(() => spend.immediate(tokenId, count, exhausted)),
    refund: async (tokenId, count) => {
      await gate.run(() => giveBack.run(count, tokenId));
    },
  };
}
