import type { Database } from "better-sqlite3";
import type { OutboxEvent } from "../webhook-contracts.js";
import { sqliteDate } from "./dates.js";

/**
 * The webhook outbox on SQLite, for use inside a transaction: events commit with the change they
 * report, or not at all. An event no endpoint could receive is not written (fan-out would drop
 * it): with no webhooks, a token write costs what it did before them.
 */
export function createSqliteOutbox(conn: Database): (events: readonly OutboxEvent[] | undefined) => void {
  const insertEvent = conn
    .prepare(`INSERT INTO "WebhookEvent" ("id", "type", "userId", "tokenId", "payload", "createdAt", "fannedOut") VALUES (?, ?, ?, ?, ?, ?, 0)`)
    .safeIntegers(false);
  // Whether any endpoint could receive an event of this user's (the types are matched at fan-out).
  const anyEndpointFor = conn.prepare(`SELECT EXISTS (SELECT 1 FROM "WebhookEndpoint" WHERE "userId" = ? OR "allUsers" = 1)`).pluck();
  return (events) => {
    // A family's revocation reports many tokens of one user: asked once per user, not per event.
    const wanted = new Map<string, boolean>();
    for (const e of events ?? []) {
      if (!wanted.has(e.userId)) wanted.set(e.userId, Boolean(anyEndpointFor.get(e.userId)));
      if (wanted.get(e.userId)) insertEvent.run(e.id, e.type, e.userId, e.tokenId, e.payload, sqliteDate(e.createdAt));
    }
  };
}
