import fs from "node:fs";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "../src/index.js";
import { newToken } from "./support.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let userId: string;
const now = Date.now();

beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  opened = await openDatabase(database.url);
  userId = (await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

/** SQLite's own count of write transactions committed to the file: iChange, in the wal-index header. */
const commits = () => fs.readFileSync(`${database.file!}-shm`).readUInt32LE(8);
const stored = async () => opened.db.accessToken.count();

describe("writes on SQLite (durability and group commit)", () => {
  it("syncs the WAL at every commit on the connection that writes (synchronous = FULL, not better-sqlite3's NORMAL)", async () => {
    // NORMAL leaves a commit off the disk until the next checkpoint: a power loss could undo a revocation already answered.
    const [row] = await opened.db.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous");
    expect(Number(row!.synchronous)).toBe(2);
  });

  it("commits writes asked for in the same turn together, and settles each only once that commit is made", async () => {
    const before = commits();
    const reader = new Sqlite(database.file!, { readonly: true });
    try {
      const creates = Array.from({ length: 20 }, () => opened.tokenWriter.create(newToken(userId, now), now));
      // What another connection sees when the first write is acknowledged: all twenty, committed at once.
      const seenAtFirst = creates[0]!.then(() => (reader.prepare(`SELECT count(*) AS n FROM "AccessToken"`).get() as { n: number }).n);
      const outcomes = await Promise.all(creates);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(await seenAtFirst).toBe(20);
      expect(commits() - before).toBe(1);
    } finally {
      reader.close();
    }
  });

  it("undoes a write that fails on its own, and commits the others asked for with it", async () => {
    const first = newToken(userId, now);
    const before = commits();
    const [a, again, c] = await Promise.allSettled([
      opened.tokenWriter.create(first, now),
      opened.tokenWriter.create({ ...newToken(userId, now), id: first.id }, now),
      opened.tokenWriter.create(newToken(userId, now), now),
    ]);
    expect(a.status).toBe("fulfilled");
    expect(again.status).toBe("rejected");
    expect(c.status).toBe("fulfilled");
    expect(await stored()).toBe(2);
    expect(commits() - before).toBe(1);
  });

  it("fails every write of a commit that a full disk rolls back, and stores none (no later write commits on its own)", async () => {
    // SQLITE_FULL for real: the file may grow by a few pages only. SQLite then rolls back the whole
    // transaction, not only the savepoint of the write that hit it.
    const [counted] = await opened.db.$queryRawUnsafe<{ page_count: number | bigint }[]>("PRAGMA page_count");
    await opened.db.$queryRawUnsafe(`PRAGMA max_page_count = ${Number(counted!.page_count) + 4}`);
    const hour = now - (now % 3_600_000);
    const large = Array.from({ length: 3_000 }, () => ({ tokenId: crypto.randomUUID(), hour, allowed: 1, unauthorized: 0, forbidden: 0, limited: 0 }));
    const before = commits();
    const [first, full, after] = await Promise.allSettled([
      opened.tokenWriter.create(newToken(userId, now), now),
      opened.usage.add(large),
      opened.tokenWriter.create(newToken(userId, now), now),
    ]);
    expect([first.status, full.status, after.status]).toEqual(["rejected", "rejected", "rejected"]);
    // Each is told the real cause, not a COMMIT that found no transaction.
    expect([first, full, after].map((r) => (r as PromiseRejectedResult).reason?.code)).toEqual(["SQLITE_FULL", "SQLITE_FULL", "SQLITE_FULL"]);
    expect(await stored()).toBe(0);
    expect(await opened.db.tokenUsage.count()).toBe(0);
    expect(commits()).toBe(before);
    await opened.db.$queryRawUnsafe("PRAGMA max_page_count = 1073741823");
    expect((await opened.tokenWriter.create(newToken(userId, now), now)).ok).toBe(true);
  });

  it("fails every write of a commit that fails: none is acknowledged, none is stored", async () => {
    // A real refusal at COMMIT: with foreign keys deferred (until the next commit), a token of a
    // user who does not exist passes its own statements and fails the commit that holds it.
    await opened.db.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
    const before = commits();
    const [valid, orphan] = await Promise.allSettled([
      opened.tokenWriter.create(newToken(userId, now), now),
      opened.tokenWriter.create(newToken(crypto.randomUUID(), now), now),
    ]);
    expect(valid.status).toBe("rejected");
    expect(orphan.status).toBe("rejected");
    expect(await stored()).toBe(0);
    expect(commits()).toBe(before);
    // The connection is usable afterwards: the next write commits.
    expect((await opened.tokenWriter.create(newToken(userId, now), now)).ok).toBe(true);
    expect(await stored()).toBe(1);
  });
});
