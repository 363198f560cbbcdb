import DataLoader from "dataloader";
import type pg from "pg";

export interface RowLoaderOptions {
  /** Queries out at once; ids asked for meanwhile wait and go together in the next one. */
  maxInFlight?: number;
  /** Ids in one query at most. */
  maxBatch?: number;
  /**
   * How long a query holds its slot: one that hangs (a database gone quiet) must not hold the
   * misses behind it, each time. Later queries then wait on the pool, whose connection timeout
   * answers them as before batching.
   */
  maxWaitMs?: number;
}

/**
 * Rows by id, many to a query (`text` takes the ids as $1, a text[]). Under load over many
 * distinct tokens each cache miss used to pay a whole query's fixed cost in this process: a pool
 * checkout, a write to PostgreSQL and the wake-up it causes, a row description parsed and its
 * field parsers looked up again. Here a miss waits until a query slot is free (at once, when the
 * server is quiet: the next turn of the event loop) and shares the query with every miss that
 * arrived meanwhile. DataLoader does the batching; its cache is off: rows are cached by the token
 * reader, which drops them on the change feed's word.
 */
export function createRowLoader<Row extends { id: string }>(pool: pg.Pool, name: string, text: string, options: RowLoaderOptions = {}) {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxWaitMs = options.maxWaitMs ?? 1000;
  /** Batches out or about to go. A batch out for maxWaitMs stops counting: it may be hung. */
  let slotsTaken = 0;
  /** Batches collecting ids until a slot frees, oldest first. */
  const waiting: Array<() => void> = [];
  const loader = new DataLoader<string, Row | undefined>(
    async (ids) => {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        clearTimeout(timer);
        slotsTaken--;
        const next = waiting.shift();
        if (next) {
          slotsTaken++;
          next();
        }
      };
      const timer = setTimeout(release, maxWaitMs);
      try {
        const { rows } = await pool.query<Row>({ name, text, values: [ids] });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id));
      } finally {
        release();
      }
    },
    {
      cache: false,
      maxBatchSize: options.maxBatch ?? 200,
      // Called when a batch opens. It collects ids until `dispatch` is called.
      batchScheduleFn: (dispatch) => {
        if (slotsTaken >= maxInFlight) return void waiting.push(dispatch);
        slotsTaken++;
        setImmediate(dispatch);
      },
    },
  );
  // PostgreSQL refuses a NUL in text, so no row has one; sent, it would fail the whole batch:
  // every other caller whose miss shares the query.
  const UNKNOWN = Promise.resolve(undefined);
  return (id: string): Promise<Row | undefined> => (id.includes("\u0000") ? UNKNOWN : loader.load(id));
}
