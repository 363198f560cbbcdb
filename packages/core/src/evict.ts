/**
 * How many tokens each per-token cache of a server holds by default (TOKEN_CACHE_ENTRIES): the
 * verified tokens, and the token readers' rows. ~2.2 kB of heap a token across them when full (measured).
 */
export const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;

/** Entries a full cache drops together, at most: the token readers' row caches, the verified-token and password caches. */
export const EVICT_AT_ONCE = 256;

/**
 * Deletes the `count` oldest entries of a Map with one iterator. V8 leaves a deleted Map entry as
 * a hole until the table is rebuilt, and an iterator starts at the first slot: deleting the oldest
 * one at a time, every insert into a full cache stepped over thousands of holes (measured: 5% of
 * the server's CPU under BENCH_MEMORY, all on that line; ~9 µs a first sight in the verified-token
 * cache of 10,000).
 */
export function dropOldest(map: Map<unknown, unknown>, count: number): void {
  for (const key of map.keys()) {
    map.delete(key);
    if (--count === 0) return;
  }
}

/**
 * Before an insert into a cache of at most `capacity` entries: when it is full, its oldest 1/40
 * (at most EVICT_AT_ONCE, at least one) go, so a small cache still keeps most of what it holds.
 */
export function makeRoom(map: Map<unknown, unknown>, capacity: number): void {
  if (map.size >= capacity) dropOldest(map, Math.max(1, Math.min(EVICT_AT_ONCE, Math.ceil(capacity / 40))));
}
