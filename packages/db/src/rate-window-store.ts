import type { Db } from "./database.js";
import type { RateWindowStore } from "./contracts.js";

/**
 * The shared count behind per-token rate limits: one atomic upsert per sync, the same SQL on
 * SQLite and PostgreSQL, answering the window's total over every instance.
 */
export function createRateWindowStore(db: Db): RateWindowStore {
  return {
    async add(tokenId, windowStart, delta) {
      const [row] = await db.$queryRaw<Array<{ count: number | bigint }>>`
        INSERT INTO "TokenRateWindow" ("tokenId", "windowStart", "count")
        VALUES (${tokenId}, ${new Date(windowStart * 1000)}, ${delta})
        ON CONFLICT ("tokenId", "windowStart") DO UPDATE SET "count" = "TokenRateWindow"."count" + excluded."count"
        RETURNING "count"`;
      return Number(row!.count);
    },
    async prune(before) {
      const { count } = await db.tokenRateWindow.deleteMany({ where: { windowStart: { lt: new Date(before * 1000) } } });
      return count;
    },
  };
}
