import { createUsageStore } from "@tokensmith/db";
import { refuseUsageRowsOf } from "@tokensmith/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UsageCounter } from "../src/usage/usage-counter.js";
import { createTestEnv, type TestEnv } from "./support.js";

const HOUR = 3_600_000;
let env: TestEnv;
let tokens: string[];

beforeEach(async () => {
  env = await createTestEnv();
  const user = await env.addUser("alice");
  const now = Date.now();
  tokens = [];
  for (const description of ["a", "b"]) {
    const row = await env.opened.db.accessToken.create({
      data: { id: crypto.randomUUID(), userId: user.userId, description, lifeSeconds: 86_400, tokenHash: description, createdAt: new Date(now), expiresAt: new Date(now + 86_400_000) },
    });
    tokens.push(row.id);
  }
});
afterEach(() => env.close());

describe("usage counter on a real database", () => {
  it("close() also writes what was counted while a flush was under way", async () => {
    const store = createUsageStore(env.opened.db);
    const counter = new UsageCounter(store);
    const now = Date.now();
    const thisHour = now - (now % HOUR);
    const [a] = tokens as [string];
    counter.count(a, "allowed", now);
    const first = counter.flush();
    counter.count(a, "allowed", now);
    await counter.close();
    await first;
    expect((await store.hours(a, thisHour, thisHour + HOUR))[0]?.allowed).toBe(2);
  });

  it("counts by token and hour, shows unflushed counts, and adds flushed ones to what is stored", async () => {
    const store = createUsageStore(env.opened.db);
    const counter = new UsageCounter(store);
    const now = Date.now();
    const thisHour = now - (now % HOUR);
    const [a, b] = tokens as [string, string];
    counter.count(a, "allowed", now);
    counter.count(a, "allowed", now);
    counter.count(a, "forbidden", now - HOUR);
    counter.count(b, "limited", now);
    const byHour = async (id: string) => Object.fromEntries((await store.hours(id, thisHour - 2 * HOUR, thisHour + HOUR)).map((r) => [r.hour - thisHour, r]));

    // Not flushed yet: only in the series, and there per hour.
    expect(await byHour(a)).toEqual({});
    const shown = await counter.series(a, now);
    expect(shown.hourly.reduce((n, h) => n + h.allowed, 0)).toBe(2);
    expect(shown.hourly.reduce((n, h) => n + h.forbidden, 0)).toBe(1);

    await counter.flush();
    expect(await byHour(a)).toMatchObject({ 0: { allowed: 2, forbidden: 0 }, [-HOUR]: { allowed: 0, forbidden: 1 } });
    expect(await byHour(b)).toMatchObject({ 0: { limited: 1 } });

    // Counted again after a flush: added, not replaced.
    counter.count(a, "allowed", now);
    await counter.flush();
    expect((await byHour(a))[0]).toMatchObject({ allowed: 3 });
    expect((await counter.series(a, now)).hourly.reduce((n, h) => n + h.allowed, 0)).toBe(3);
  });

  it("after a flush that failed part-way, keeps exactly what was not written: nothing lost, nothing counted twice", async () => {
    const store = createUsageStore(env.opened.db);
    // One row per transaction, so the first can be stored and the second refused.
    const counter = new UsageCounter(store, 60_000, 1);
    const now = Date.now();
    const thisHour = now - (now % HOUR);
    const [a, b] = tokens as [string, string];
    counter.count(a, "allowed", now);
    counter.count(b, "allowed", now);
    counter.count(b, "allowed", now);
    // The database refuses b's row (a real trigger, as a full disk or a lost connection would).
    const lift = await refuseUsageRowsOf(env.opened.db, env.opened.url.startsWith("postgres"), b);
    await counter.flush();
    const stored = async (id: string) => (await store.hours(id, thisHour, thisHour + HOUR))[0]?.allowed ?? 0;
    expect(await stored(a)).toBe(1);
    expect(await stored(b)).toBe(0);
    expect((await counter.series(b, now)).hourly.reduce((n, h) => n + h.allowed, 0)).toBe(2);

    await lift();
    counter.count(b, "allowed", now);
    await counter.flush();
    expect(await stored(a)).toBe(1);
    expect(await stored(b)).toBe(3);
  });
});
