import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "../src/index.js";

let database: TestDatabase;
let a: OpenedDatabase;
let b: OpenedDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
  a = await openDatabase(database.url);
  b = await openDatabase(database.url);
});
afterEach(async () => {
  await a.close();
  await b.close();
  await database.drop();
});

const key = (kid: string, state: "next" | "current" | "retired") => ({ kid, alg: "ES256", state, publicJwk: "{}", sealedKey: "v1.x.y.z" });

describe(`key store (${testDatabaseKind()})`, () => {
  it("activates a next key exactly once when two instances race, retiring the current one", async () => {
    const now = Date.now();
    await a.keys.insert(key("old", "current"), now);
    await a.keys.insert(key("new", "next"), now);
    const results = await Promise.all([a.keys.activate("new", now + 1), b.keys.activate("new", now + 1)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const states = Object.fromEntries((await a.keys.list()).map((k) => [k.kid, k.state]));
    expect(states).toEqual({ old: "retired", new: "current" });
    // Activating a key that is not "next" changes nothing (there is no current key left behind).
    expect(await a.keys.activate("old", now + 2)).toBe(false);
    expect(Object.fromEntries((await a.keys.list()).map((k) => [k.kid, k.state]))).toEqual({ old: "retired", new: "current" });
  });

  it("counts live tokens and the last expiry per key, adopts older tokens, removes only retired keys", async () => {
    const now = Date.now();
    await a.keys.insert(key("k1", "current"), now);
    const user = await a.db.user.create({ data: { username: "u", passwordHash: "x" } });
    const token = (id: string, signingKeyId: string | null, expiresIn: number, revoked = false) =>
      a.db.accessToken.create({
        data: { id, userId: user.id, description: "d", lifeSeconds: 60, tokenHash: id, signingKeyId, createdAt: new Date(now), expiresAt: new Date(now + expiresIn), revokedAt: revoked ? new Date(now - 1) : null },
      });
    await token("t1", "k1", 60_000);
    await token("t2", "k1", 120_000, true);
    await token("t3", "k1", -1000);
    await token("old", null, 30_000);
    expect(await a.keys.adopt("legacy-hs256")).toBe(1);
    const usage = await a.keys.usage(now);
    expect(usage.get("k1")).toEqual({ live: 1, lastExpiresAt: now + 120_000 });
    expect(usage.get("legacy-hs256")).toEqual({ live: 1, lastExpiresAt: now + 30_000 });
    await a.keys.remove("k1");
    expect((await a.keys.list()).map((k) => k.kid)).toEqual(["k1"]);
  });
});
