import { describe, expect, it } from "vitest";
import { twoInstances } from "./support.js";

/**
 * The DpopProofStore contract on each database, through two handles on one database (two
 * instances): a proof is claimed once whichever instance sees it, even when both race; expired
 * proofs are pruned in bounded batches and live ones kept.
 */
const handles = twoInstances();

describe("DpopProofStore", () => {
  it("a proof claimed at one instance is a replay at the other; 20 racing claims of one proof: exactly one wins", async () => {
    const { a, b } = handles;
    const later = Date.now() + 60_000;
    expect(await a.dpopProofs.claim("k1", later)).toBe(true);
    expect(await b.dpopProofs.claim("k1", later)).toBe(false);
    expect(await a.dpopProofs.claim("k1", later)).toBe(false);
    const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).dpopProofs.claim("k2", later)));
    expect(raced.filter(Boolean)).toHaveLength(1);
  });

  it("prunes expired proofs a batch at a time and keeps live ones", async () => {
    const { a } = handles;
    const now = Date.now();
    for (let i = 0; i < 5; i++) await a.dpopProofs.claim(`old${i}`, now - 1000);
    await a.dpopProofs.claim("live", now + 60_000);
    expect(await a.dpopProofs.prune(now, 3)).toBe(3);
    expect(await a.dpopProofs.prune(now, 3)).toBe(2);
    expect(await a.dpopProofs.prune(now, 3)).toBe(0);
    expect(await a.dpopProofs.claim("live", now + 60_000)).toBe(false);
  });
});
