/** Rows a full row cache drops together (both databases' token readers). */
export const EVICT_AT_ONCE = 256;

/**
 * Deletes the `count` oldest entries of a Map with one iterator. V8 leaves a deleted Map entry as
 * a hole until the table is rebuilt, and an iterator starts at the first slot: deleting the oldest
 * one at a time, every insert into a full cache stepped over thousands of holes (measured: 5% of
 * the server's CPU under BENCH_MEMORY, all on that line).
 */
export function dropOldest(map: Map<string, unknown>, count: number): void {
  for (const key of map.keys()) {
    map.delete(key);
    if (--count === 0) return;
  }
}
