import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "@tokensmith/db";
import { loadConfig } from "../src/config.js";
import { RateLimiter } from "../src/rate-limits/rate-limiter.js";

let database: TestDatabase | undefined;
let opened: OpenedDatabase | undefined;
afterEach(async () => {
  await opened?.close();
  await database?.drop();
  opened = database = undefined;
});

describe("rate limiter memory", () => {
  it("forgets a token's window once it has ended and is synced, and counts afresh in the next", async () => {
    database = await createTestDatabase();
    opened = await openDatabase(loadConfig({ DATABASE_URL: database.url, TOKENSMITH_SECRET: "t".repeat(32) }).database);
    // Not started: no timer of its own, so only the flushes below (with their clocks) drop windows.
    const limiter = new RateLimiter(opened.rateWindows);
    const limit = { requests: 2, windowSeconds: 1 };
    const now = Math.floor(Date.now() / 1000) * 1000 + 100;
    const tokens = Array.from({ length: 1000 }, () => randomUUID());
    for (const id of tokens) expect((await limiter.take(id, limit, now)).allowed).toBe(true);
    expect((await limiter.take(tokens[0]!, limit, now)).allowed).toBe(true);
    expect((await limiter.take(tokens[0]!, limit, now)).allowed).toBe(false);
    await limiter.flush(now + 500); // the window is still open: kept, its counts written
    expect(limiter.trackedWindows).toBe(1000);
    await limiter.flush(now + 1000); // ended
    expect(limiter.trackedWindows).toBe(0);
    expect((await limiter.take(tokens[0]!, limit, now + 1000)).quota.remaining).toBe(1);
  });
});
