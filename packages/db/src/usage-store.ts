import type { Db } from "./database.js";
import { Prisma } from "./generated/prisma/client.js";
import type { UsageRow, UsageStore } from "./contracts.js";

/** The one usage upsert, on both databases: a row's counts are added to the hour's, never replace them. */
export const INSERT_USAGE = `INSERT INTO "TokenUsage" ("tokenId", "hour", "allowed", "unauthorized", "forbidden", "limited")`;
export const ADD_TO_STORED_USAGE = `ON CONFLICT ("tokenId", "hour") DO UPDATE SET
  "allowed" = "TokenUsage"."allowed" + excluded."allowed",
  "unauthorized" = "TokenUsage"."unauthorized" + excluded."unauthorized",
  "forbidden" = "TokenUsage"."forbidden" + excluded."forbidden",
  "limited" = "TokenUsage"."limited" + excluded."limited"`;

/**
 * Usage counts through Prisma; the same SQL on SQLite and PostgreSQL. Each add() is one multi-row
 * upsert statement: atomic by itself (all rows or none) without holding a transaction open across
 * awaits — on SQLite, Prisma shares one connection, and an open BEGIN there would take in (and,
 * on a rollback, undo) other requests' writes. Each row is an increment, so instances adding to
 * the same hour add up; rows go in (token, hour) order, so two instances' statements lock shared
 * rows in the same order on PostgreSQL and cannot deadlock.
 */
export function createUsageStore(db: Db): UsageStore {
  return {
    async add(rows) {
      if (rows.length === 0) return;
      const ordered = [...rows].sort((a, b) => (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : a.hour - b.hour));
      const values = ordered.map(
        (row) => Prisma.sql`(${row.tokenId}, ${new Date(row.hour)}, ${row.allowed}, ${row.unauthorized}, ${row.forbidden}, ${row.limited})`,
      );
      await db.$executeRaw`${Prisma.raw(INSERT_USAGE)} VALUES ${Prisma.join(values)} ${Prisma.raw(ADD_TO_STORED_USAGE)}`;
    },
    async hours(tokenId, from, to) {
      const rows = await db.tokenUsage.findMany({
        where: { tokenId, hour: { gte: new Date(from), lt: new Date(to) } },
        orderBy: { hour: "asc" },
      });
      return rows.map((r) => ({ ...r, hour: r.hour.getTime() }));
    },
  };
}
