import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "../src/index.js";

let database: TestDatabase;
let a: OpenedDatabase;
let b: OpenedDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
  // Two handles on one database: two instances sharing it.
  a = await openDatabase(database.url);
  b = await openDatabase(database.url);
});
afterEach(async () => {
  await a.close();
  await b.close();
  await database.drop();
});

const limits = [
  { key: "pair:alice|1.2.3.4", limit: 5, windowMs: 60_000 },
  { key: "ip:1.2.3.4", limit: 20, windowMs: 60_000 },
];

describe(`attempt counter (${process.env.TOKENSMITH_TEST_DATABASE ?? "sqlite"})`, () => {
  it("lets exactly the limit through when 30 attempts race over two instances", async () => {
    const now = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).attempts.take(limits, now)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    const refused = outcomes.find((o) => !o.ok);
    expect(refused).toMatchObject({ ok: false, key: "pair:alice|1.2.3.4", retryAfterMs: 60_000 });
    // Refused attempts counted nowhere: the IP key holds exactly the five that went through.
    const ipOnly = [{ key: "ip:1.2.3.4", limit: 5, windowMs: 60_000 }];
    expect(await a.attempts.take(ipOnly, now)).toMatchObject({ ok: false });
  });

  it("gives attempts back, clears keys, and starts a new window when the old one ends", async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect(await a.attempts.take(limits, now)).toEqual({ ok: true });
    expect((await a.attempts.take(limits, now)).ok).toBe(false);
    await a.attempts.settle({ refund: ["pair:alice|1.2.3.4"], clear: [] }, now);
    expect(await a.attempts.take(limits, now)).toEqual({ ok: true });
    await a.attempts.settle({ refund: [], clear: ["pair:alice|1.2.3.4"] }, now);
    for (let i = 0; i < 5; i++) expect(await a.attempts.take(limits, now)).toEqual({ ok: true });
    expect((await a.attempts.take(limits, now + 59_000)).ok).toBe(false);
    expect(await a.attempts.take(limits, now + 60_000)).toEqual({ ok: true });
  });

  it("prunes ended windows in batches", async () => {
    const now = Date.now();
    for (let i = 0; i < 25; i++) await a.attempts.take([{ key: `ip:10.0.0.${i}`, limit: 5, windowMs: 1000 }], now);
    expect(await a.attempts.prune(now + 500, 10)).toBe(0);
    expect(await a.attempts.prune(now + 1000, 10)).toBe(10);
    expect(await a.attempts.prune(now + 1000, 100)).toBe(15);
  });
});
