import type { Database } from "better-sqlite3";
import type { AttemptCounter, AttemptLimit, AttemptOutcome } from "../contracts.js";
import type { WriteGate } from "./write-gate.js";

class OverLimit extends Error {
  constructor(readonly outcome: AttemptOutcome) {
    super("over limit");
  }
}

/** Credential attempts on SQLite: one IMMEDIATE transaction counts every key or none. */
export function createSqliteAttemptCounter(conn: Database, gate: WriteGate): AttemptCounter {
  const statement = (sql: string) => conn.prepare(sql).safeIntegers(false);
  // A window that has ended starts again at 1; otherwise the count goes up and the window stays.
  const hit = statement(
    `INSERT INTO "AuthAttempt" ("key", "count", "resetAt") VALUES (@key, 1, @now + @windowMs)
     ON CONFLICT ("key") DO UPDATE SET
       "count" = CASE WHEN "resetAt" <= @now THEN 1 ELSE "count" + 1 END,
       "resetAt" = CASE WHEN "resetAt" <= @now THEN @now + @windowMs ELSE "resetAt" END
     RETURNING "count", "resetAt"`,
  );
  const refund = statement(`UPDATE "AuthAttempt" SET "count" = "count" - 1 WHERE "key" = ? AND "count" > 0 AND "resetAt" > ?`);
  const clear = statement(`DELETE FROM "AuthAttempt" WHERE "key" = ?`);
  const prune = statement(
    `DELETE FROM "AuthAttempt" WHERE "key" IN (SELECT "key" FROM "AuthAttempt" WHERE "resetAt" <= ? LIMIT ?)`,
  );

  const take = conn.transaction((limits: readonly AttemptLimit[], now: number): AttemptOutcome => {
    for (const { key, limit, windowMs } of limits) {
      const row = hit.get({ key, now, windowMs }) as { count: number; resetAt: number };
      // Throwing rolls the whole transaction back: a refused attempt counts on no key.
      if (row.count > limit) throw new OverLimit({ ok: false, retryAfterMs: Math.max(1, row.resetAt - now), key });
    }
    return { ok: true };
  });
  const settle = conn.transaction((input: { refund: readonly string[]; clear: readonly string[] }, now: number) => {
    for (const key of input.refund) refund.run(key, now);
    for (const key of input.clear) clear.run(key);
  });

  return {
    take: (limits, now) =>
      gate.run(() => {
        try {
          return take.immediate(limits, now);
        } catch (error) {
          if (error instanceof OverLimit) return error.outcome;
          throw error;
        }
      }),
    settle: (input, now) => gate.run(() => settle.immediate(input, now)),
    prune: (now, batch) => gate.run(() => prune.run(now, batch).changes),
  };
}
