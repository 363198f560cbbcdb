import type { Db } from "./database.js";
import type { UsageRow, UsageStore } from "./contracts.js";

/**
 * Usage counts through Prisma; one upsert statement per (token, hour), the same SQL on SQLite and
 * PostgreSQL, each an atomic increment — so instances adding to the same hour add up.
 */
export function createUsageStore(db: Db): UsageStore {
  return {
    async add(rows) {
      // One transaction: all of them or none, so a caller may keep and retry exactly what failed.
      await db.$transaction(
        rows.map(
          (row) => db.$executeRaw`
          INSERT INTO "TokenUsage" ("tokenId", "hour", "allowed", "unauthorized", "forbidden", "limited")
          VALUES (${row.tokenId}, ${new Date(row.hour)}, ${row.allowed}, ${row.unauthorized}, ${row.forbidden}, ${row.limited})
          ON CONFLICT ("tokenId", "hour") DO UPDATE SET
            "allowed" = "TokenUsage"."allowed" + excluded."allowed",
            "unauthorized" = "TokenUsage"."unauthorized" + excluded."unauthorized",
            "forbidden" = "TokenUsage"."forbidden" + excluded."forbidden",
            "limited" = "TokenUsage"."limited" + excluded."limited"`,
        ),
      );
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
