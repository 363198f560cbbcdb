import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, refuseUsageRowsOf, type TestDatabase } from "@tokensmith/testkit";
import { createUsageStore, openDatabase, type OpenedDatabase, type UsageRow } from "../src/index.js";
import { newToken } from "./support.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let tokens: string[];
const HOUR = 3_600_000;
const now = Date.now();
const thisHour = now - (now % HOUR);
const postgres = () => database.url.startsWith("postgres");

beforeEach(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  const userId = (await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
  tokens = [];
  for (let i = 0; i < 3; i++) {
    const outcome = await opened.tokenWriter.create(newToken(userId, now), now);
    if (!outcome.ok) throw new Error(outcome.reason);
    tokens.push(outcome.token.id);
  }
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

const row = (tokenId: string, over: Partial<UsageRow> = {}): UsageRow => ({ tokenId, hour: thisHour, allowed: 1, unauthorized: 0, forbidden: 0, limited: 0, ...over });

describe(`usage store (${process.env.TOKENSMITH_TEST_DATABASE ?? "sqlite"})`, () => {
  it("adds to what is stored, per token and hour, in any order of rows", async () => {
    const [a, b] = tokens as [string, string];
    await opened.usage.add([row(b, { hour: thisHour - HOUR, limited: 2 }), row(a), row(b)]);
    await opened.usage.add([row(a, { allowed: 4, unauthorized: 1, forbidden: 2, limited: 3 })]);
    expect(await opened.usage.hours(a, thisHour - HOUR, thisHour + HOUR)).toEqual([row(a, { allowed: 5, unauthorized: 1, forbidden: 2, limited: 3 })]);
    expect(await opened.usage.hours(b, thisHour - HOUR, thisHour + HOUR)).toEqual([row(b, { hour: thisHour - HOUR, limited: 2 }), row(b)]);
  });

  it("adds to an hour's row written through Prisma (as the previous release wrote every row), never a second row for it", async () => {
    const [a] = tokens as [string];
    await createUsageStore(opened.db).add([row(a, { allowed: 2, unauthorized: 1 })]);
    await opened.usage.add([row(a, { allowed: 3, limited: 4 })]);
    expect(await opened.db.tokenUsage.count({ where: { tokenId: a } })).toBe(1);
    expect(await opened.usage.hours(a, thisHour, thisHour + HOUR)).toEqual([row(a, { allowed: 5, unauthorized: 1, limited: 4 })]);
  });

  it("lets other work run before each add(): a flush's chunks never run back to back", async () => {
    // The counter writes a minute's ~100,000 rows as one add() per chunk. Requests are served
    // between the event loop's turns: chunks run back to back would hold every request up until all were written.
    const [a] = tokens as [string];
    let turns = 0;
    let written = false;
    const otherWork = (async () => {
      while (!written) {
        turns++;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    for (let h = 0; h < 6; h++) await opened.usage.add([row(a, { hour: thisHour - h * HOUR })]);
    written = true;
    await otherWork;
    expect(turns).toBeGreaterThanOrEqual(6);
    expect((await opened.usage.hours(a, thisHour - 6 * HOUR, thisHour + HOUR)).map((r) => r.allowed)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("stores all the rows of one add() or none of them", async () => {
    const [a, b, c] = tokens as [string, string, string];
    // The database refuses b's row (a real trigger, as a full disk or a lost connection would).
    await refuseUsageRowsOf(opened.db, postgres(), b);
    await expect(opened.usage.add([row(a), row(b), row(c)])).rejects.toThrow();
    expect(await opened.db.tokenUsage.count()).toBe(0);
    // The store still works after a refused add (no transaction left open on the shared connection).
    await opened.usage.add([row(a), row(c)]);
    expect(await opened.db.tokenUsage.count()).toBe(2);
    await opened.db.user.update({ where: { username: "alice" }, data: { isAdmin: true } });
    expect((await opened.db.user.findUniqueOrThrow({ where: { username: "alice" } })).isAdmin).toBe(true);
  });
});
