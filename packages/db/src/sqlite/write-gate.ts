import type { Database } from "better-sqlite3";

/**
 * Every write of ours on SQLite goes through here. Two reasons:
 *
 * - Our synchronous transactions share Prisma's connection. Prisma opens a transaction of its own
 *   for a few operations (an upsert, a nested create) and holds it across awaits; a statement of
 *   ours run meanwhile would join it (and vanish with its rollback). So ours wait until the
 *   connection is outside any transaction, then run start to finish in one tick.
 * - Group commit. The connection syncs the WAL to disk at every commit (synchronous = FULL, see
 *   open.ts), and the sync holds the event loop. Writes asked for in the same turn of the event
 *   loop (32 clients creating tokens at once) commit together: one transaction, one sync. Each
 *   write runs in a savepoint of its own, so one that throws is undone alone and the others go
 *   on; and a write's promise settles only after the commit that holds it, so nothing is
 *   acknowledged before it is on disk. When the commit itself fails, or an error rolls the whole
 *   transaction back (a full disk), every write in it fails and none is stored.
 */
export interface WriteGate {
  run<T>(work: () => T): Promise<T>;
}

/** Writes per commit at most: a batch runs in one tick, and requests wait for it. */
const MAX_BATCH = 64;

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export function createWriteGate(conn: Database): WriteGate {
  const queue: Job[] = [];
  let scheduled = false;
  // Nested in commitAll, better-sqlite3 runs a transaction function as a SAVEPOINT.
  const inSavepoint = conn.transaction((work: () => unknown) => work());
  const commitAll = conn.transaction((jobs: readonly Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: inSavepoint(job.work) };
      } catch (error) {
        // SQLITE_FULL, IOERR or NOMEM roll the whole transaction back, not only this savepoint.
        // A later job would then commit on its own while its promise is rejected with the rest:
        // stop here, and every job of the batch fails with this error, the real cause.
        if (!conn.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  const flush = (): void => {
    // Prisma's transaction is open across an await: try again on the next turn.
    if (conn.inTransaction) {
      setImmediate(flush);
      return;
    }
    scheduled = false;
    const jobs = queue.splice(0, MAX_BATCH);
    if (queue.length > 0) schedule();
    let outcomes: Outcome[];
    try {
      outcomes = commitAll.immediate(jobs);
    } catch (error) {
      // Not committed (a full disk, an I/O error): none of these writes happened.
      for (const job of jobs) job.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? jobs[i]!.resolve(outcome.value) : jobs[i]!.reject(outcome.error)));
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}
