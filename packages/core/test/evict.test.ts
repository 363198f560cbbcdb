import { describe, expect, it } from "vitest";
import { dropOldest, EVICT_AT_ONCE, makeRoom } from "../src/evict.js";

const filled = (n: number) => new Map(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

describe("makeRoom", () => {
  it("leaves a cache that is not full alone", () => {
    const map = filled(9);
    makeRoom(map, 10);
    expect(map.size).toBe(9);
  });

  it("drops the oldest 1/40 of a full cache, and at least one", () => {
    const big = filled(4000);
    makeRoom(big, 4000);
    expect(big.size).toBe(3900);
    expect(big.has("k99")).toBe(false);
    expect(big.has("k100")).toBe(true);
    const small = filled(2);
    makeRoom(small, 2);
    expect([...small.keys()]).toEqual(["k1"]);
  });

  it("drops no more than EVICT_AT_ONCE from a large cache", () => {
    const map = filled(20_000);
    makeRoom(map, 20_000);
    expect(map.size).toBe(20_000 - EVICT_AT_ONCE);
    expect(map.has(`k${EVICT_AT_ONCE}`)).toBe(true);
  });
});

describe("dropOldest", () => {
  it("deletes exactly `count` entries, oldest first", () => {
    const map = filled(5);
    dropOldest(map, 2);
    expect([...map.keys()]).toEqual(["k2", "k3", "k4"]);
  });
});
