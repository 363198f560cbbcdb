import { describe, expect, it } from "vitest";
import { endpointMatches, patternCovers } from "../src/index.js";

/**
 * The matcher against a plainly correct reference, over thousands of random small patterns and
 * paths on a tiny alphabet, where the tricky overlaps (`*ab*ab*` on `aabab`) come up often.
 */

/** Seeded, so a failure repeats exactly. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function word(next: () => number, alphabet: string, maxLength: number): string {
  let text = "";
  const length = Math.floor(next() * (maxLength + 1));
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
  return text;
}

function pick<T>(next: () => number, choices: readonly T[]): T {
  return choices[Math.floor(next() * choices.length)] as T;
}

/** Dynamic programming: can glob[0..g) produce text[0..t)? `*` is any run, the rest literal. */
function referenceGlob(glob: string, text: string): boolean {
  let row = Array.from({ length: text.length + 1 }, (_, t) => t === 0);
  for (const char of glob) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    for (let t = 0; t <= text.length; t++) {
      if (char === "*") next[t] = (row[t] ?? false) || (t > 0 && (next[t - 1] ?? false));
      else next[t] = t > 0 && (row[t - 1] ?? false) && text[t - 1] === char;
    }
    row = next;
  }
  return row[text.length] ?? false;
}

function referenceMatches(pattern: string, method: string, path: string): boolean {
  const [patternMethod, glob] = pattern.split(" ") as [string, string];
  return (patternMethod === "*" || patternMethod === method) && referenceGlob(glob, path);
}

/** A path `pattern` surely matches: each `*` replaced by a random run. */
function instance(next: () => number, pattern: string): string {
  const glob = pattern.slice(pattern.indexOf(" ") + 1);
  return glob.replace(/\*/g, () => word(next, "ab/", 3));
}

const METHODS = ["GET", "POST", "*"] as const;

describe("endpointMatches agrees with a reference matcher", () => {
  it("on 20,000 random patterns and paths", () => {
    const next = random(1);
    let matched = 0;
    for (let i = 0; i < 20_000; i++) {
      const pattern = `${pick(next, METHODS)} /${word(next, "ab/*", 6)}`;
      const method = pick(next, ["GET", "POST"]);
      // Half the paths are built to match, so both answers are exercised.
      const path = i % 2 === 0 ? instance(next, pattern) : `/${word(next, "ab/", 8)}`;
      const expected = referenceMatches(pattern, method, path);
      expect({ pattern, method, path, matches: endpointMatches(pattern, method, path) }).toEqual({ pattern, method, path, matches: expected });
      if (expected) matched++;
    }
    expect(matched).toBeGreaterThan(5_000);
  });
});

describe("patternCovers is sound", () => {
  it("whenever a parent covers a child, the parent matches every request the child matches", () => {
    const next = random(2);
    let covered = 0;
    for (let i = 0; i < 20_000; i++) {
      const child = `${pick(next, METHODS)} /${word(next, "ab/*", 5)}`;
      // A parent often derived from the child (some letters turned into `*`), so many cover it.
      const parent =
        i % 2 === 0
          ? `${pick(next, METHODS)} ${child.slice(child.indexOf(" ") + 1).replace(/[ab/]/g, (c) => (next() < 0.3 ? "*" : c))}`
          : `${pick(next, METHODS)} /${word(next, "ab/*", 5)}`;
      if (!patternCovers(parent, child)) continue;
      covered++;
      for (let j = 0; j < 10; j++) {
        const method = pick(next, ["GET", "POST"]);
        const path = j % 2 === 0 ? instance(next, child) : `/${word(next, "ab/", 6)}`;
        if (endpointMatches(child, method, path)) {
          expect({ parent, child, method, path, parentMatches: endpointMatches(parent, method, path) }).toEqual({
            parent,
            child,
            method,
            path,
            parentMatches: true,
          });
        }
      }
    }
    expect(covered).toBeGreaterThan(3_000);
  });

  it("is exactly the reference glob over the child's text, with methods compared as the rule says", () => {
    const next = random(3);
    for (let i = 0; i < 20_000; i++) {
      const parent = `${pick(next, METHODS)} /${word(next, "ab/*", 5)}`;
      const child = `${pick(next, METHODS)} /${word(next, "ab/*", 5)}`;
      const [pm, pg] = parent.split(" ") as [string, string];
      const [cm, cg] = child.split(" ") as [string, string];
      const expected = (pm === "*" || (cm !== "*" && cm === pm)) && referenceGlob(pg, cg);
      expect({ parent, child, covers: patternCovers(parent, child) }).toEqual({ parent, child, covers: expected });
    }
  });
});
