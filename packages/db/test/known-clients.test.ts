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

const DAY = 86_400_000;

describe(`known clients (${process.env.TOKENSMITH_TEST_DATABASE ?? "sqlite"})`, () => {
  it("holds what a user was told, until it expires, for that user only", async () => {
    const alice = await a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    await b.db.user.create({ data: { username: "bob", passwordHash: "x" } });
    const now = Date.now();
    await a.knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY, keep: 20, now });
    expect(await b.knownClients.held("alice", ["m1", "m2"], now)).toEqual({ userId: alice.id, held: new Map([["m1", now + DAY]]) });
    expect((await b.knownClients.held("bob", ["m1"], now))!.held.size).toBe(0);
    expect(await b.knownClients.held("carol", ["m1"], now)).toBeNull();
    expect((await b.knownClients.held("alice", ["m1"], now + DAY))!.held.size).toBe(0);
  });

  it("many successes at once, on two instances, each keep one row and throw nothing", async () => {
    const alice = await a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY + i, keep: 20, now })),
    );
    expect(await a.db.knownClient.count()).toBe(1);
  });

  it("keeps the newest of each kind, replaces a used device marker, and drops expired ones", async () => {
    const alice = await a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    const now = Date.now();
    for (let i = 0; i < 5; i++) await a.knownClients.remember({ userId: alice.id, marker: `a${i}`, kind: "address", expiresAt: now + DAY + i, keep: 3, now });
    await a.knownClients.remember({ userId: alice.id, marker: "d0", kind: "device", expiresAt: now + 10, keep: 3, now });
    await a.knownClients.remember({ userId: alice.id, marker: "d1", kind: "device", expiresAt: now + DAY, replaces: "d0", keep: 3, now });
    const rows = await a.db.knownClient.findMany({ orderBy: { marker: "asc" } });
    expect(rows.map((r) => r.marker)).toEqual(["a2", "a3", "a4", "d1"]);
    // An expired marker goes at the next remember of that user.
    await a.knownClients.remember({ userId: alice.id, marker: "d2", kind: "device", expiresAt: now + 2 * DAY, keep: 3, now: now + DAY + 3 });
    expect((await a.db.knownClient.findMany({ orderBy: { marker: "asc" } })).map((r) => r.marker)).toEqual(["a4", "d2"]);
  });

  it("goes with its user", async () => {
    const alice = await a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    const now = Date.now();
    await a.knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY, keep: 20, now });
    await b.db.user.delete({ where: { id: alice.id } });
    expect(await a.db.knownClient.count()).toBe(0);
  });
});
