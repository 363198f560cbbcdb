import type { Database } from "better-sqlite3";
import { usernameKey } from "@tokensmith/core";
import type { Db } from "../database.js";
import type { KnownClientStore } from "../known-client-contracts.js";
import { createKnownClientStore } from "../known-clients.js";
import { fromSqliteDate, sqliteDate } from "./dates.js";

/**
 * SQLite's known clients: written through Prisma like PostgreSQL's (rarely), but read through one
 * prepared statement, since every password check asks (HTTP Basic: every request). Through Prisma
 * the read cost ~3 ms of a ~13 ms Basic request; prepared, a few hundredths of that.
 */
export function createSqliteKnownClientStore(db: Db, conn: Database): KnownClientStore {
  // Two marker slots (an address and a device); an unused one is NULL, which matches nothing.
  const held = conn.prepare(
    `SELECT u."id" AS "userId", k."marker" AS "marker", k."expiresAt" AS "expiresAt" FROM "User" u
     LEFT JOIN "KnownClient" k ON k."userId" = u."id" AND k."marker" IN (?, ?) AND k."expiresAt" > ?
     WHERE u."usernameKey" = ?`,
  );
  return {
    ...createKnownClientStore(db),
    async held(username, markers, now) {
      const rows = held.all(markers[0] ?? null, markers[1] ?? null, sqliteDate(now), usernameKey(username)) as { userId: string; marker: string | null; expiresAt: string | null }[];
      if (rows.length === 0) return null;
      return { userId: rows[0]!.userId, held: new Map(rows.filter((r) => r.marker !== null).map((r) => [r.marker!, fromSqliteDate(r.expiresAt)!])) };
    },
  };
}
