import type { Database } from "better-sqlite3";

/**
 * Our synchronous transactions share Prisma's connection. Prisma opens a transaction of its own
 * for a few operations (an upsert, a nested create) and holds it across awaits; a statement of ours
 * run meanwhile would join it (and vanish with its rollback). So ours wait until the connection is
 * outside any transaction, then run start to finish in one tick.
 */
export interface WriteGate {
  run<T>(work: () => T): Promise<T>;
}

export function createWriteGate(conn: Database): WriteGate {
  return {
    async run(work) {
      while (conn.inTransaction) await new Promise<void>((resolve) => setImmediate(resolve));
      return work();
    },
  };
}
