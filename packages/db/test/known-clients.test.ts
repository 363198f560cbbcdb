import { describe, expect, it } from "vitest";
import { twoInstances } from "./support.js";

const two = twoInstances();
const DAY = 86_400_000;

describe(`known clients (${process.env.TOKENSMITH_TEST_DATABASE ?? "sqlite"})`, () => {
  it("holds what a user was told, until it expires, for that user only", async () => {
    const alice = await two.a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    await two.b.db.user.create({ data: { username: "bob", passwordHash: "x" } });
    const now = Date.now();
    await two.a.knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY, keep: 20, now });
    expect(await two.b.knownClients.held("alice", ["m1", "m2"], now)).toEqual({ userId: alice.id, held: new Map([["m1", now + DAY]]) });
    expect((await two.b.knownClients.held("bob", ["m1"], now))!.held.size).toBe(0);
    expect(await two.b.knownClients.held("carol", ["m1"], now)).toBeNull();
    expect((await two.b.knownClients.held("alice", ["m1"], now + DAY))!.held.size).toBe(0);
  });

  it("finds the user by any case of the name, as sign-in does", async () => {
    const alice = await two.a.db.user.create({ data: { username: "Alice", passwordHash: "x" } });
    const now = Date.now();
    await two.a.knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY, keep: 20, now });
    for (const typed of ["alice", "ALICE", "Alice"]) {
      expect(await two.b.knownClients.held(typed, ["m1"], now)).toEqual({ userId: alice.id, held: new Map([["m1", now + DAY]]) });
    }
  });

  it("many successes at once, on two instances, each keep one row and throw nothing", async () => {
    const alice = await two.a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? two.a : two.b).knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY + i, keep: 20, now })),
    );
    expect(await two.a.db.knownClient.count()).toBe(1);
  });

  it("keeps the newest of each kind, replaces a used device marker, and drops expired ones", async () => {
    const alice = await two.a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    const now = Date.now();
    for (let i = 0; i < 5; i++) await two.a.knownClients.remember({ userId: alice.id, marker: `a${i}`, kind: "address", expiresAt: now + DAY + i, keep: 3, now });
    await two.a.knownClients.remember({ userId: alice.id, marker: "d0", kind: "device", expiresAt: now + 10, keep: 3, now });
    await two.a.knownClients.remember({ userId: alice.id, marker: "d1", kind: "device", expiresAt: now + DAY, replaces: "d0", keep: 3, now });
    const rows = await two.a.db.knownClient.findMany({ orderBy: { marker: "asc" } });
    expect(rows.map((r) => r.marker)).toEqual(["a2", "a3", "a4", "d1"]);
    // An expired marker goes at the next remember of that user.
    await two.a.knownClients.remember({ userId: alice.id, marker: "d2", kind: "device", expiresAt: now + 2 * DAY, keep: 3, now: now + DAY + 3 });
    expect((await two.a.db.knownClient.findMany({ orderBy: { marker: "asc" } })).map((r) => r.marker)).toEqual(["a4", "d2"]);
  });

  it("goes with its user", async () => {
    const alice = await two.a.db.user.create({ data: { username: "alice", passwordHash: "x" } });
    const now = Date.now();
    await two.a.knownClients.remember({ userId: alice.id, marker: "m1", kind: "address", expiresAt: now + DAY, keep: 20, now });
    await two.b.db.user.delete({ where: { id: alice.id } });
    expect(await two.a.db.knownClient.count()).toBe(0);
  });
});
