import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "../src/index.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let tokenId: string;
let userId: string;

beforeEach(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  const user = await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } });
  userId = user.id;
  tokenId = crypto.randomUUID();
  await opened.db.accessToken.create({
    data: { id: tokenId, userId, description: "d", lifeSeconds: 60, tokenHash: "h", createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) },
  });
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls until the reader reflects a committed change (for PostgreSQL: the NOTIFY arrives). */
async function eventually<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await pause(5);
  }
  return read();
}

describe(`token reader (${testDatabaseKind()})`, () => {
  it("reads what Prisma wrote, in the same shape", async () => {
    const viaPrisma = await opened.db.accessToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(await opened.tokens.activeToken(tokenId, userId)).toEqual(viaPrisma);
    expect(await opened.tokens.activeToken(tokenId, "someone-else")).toBeUndefined();
    expect(await opened.tokens.activeTokens(userId)).toEqual([{ ...viaPrisma, tokenHash: "" }]);
    expect(await opened.tokens.authRecord(tokenId)).toMatchObject({ userId, username: "alice", isAdmin: false, revokedAt: null });
  });

  it("sees a write by another instance on the same database without being told", async () => {
    expect((await opened.tokens.authRecord(tokenId))?.revokedAt).toBeNull();
    const other = await openDatabase(database.url);
    try {
      await other.db.accessToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    } finally {
      await other.close();
    }
    const record = await eventually(() => opened.tokens.authRecord(tokenId), (r) => r?.revokedAt !== null);
    expect(record?.revokedAt).toBeTypeOf("number");
    expect(await opened.tokens.activeToken(tokenId, userId)).toBeUndefined();
  });

  it("forgets cached rows at once on invalidate()", async () => {
    expect((await opened.tokens.activeToken(tokenId, userId))?.description).toBe("d");
    await opened.db.accessToken.update({ where: { id: tokenId }, data: { description: "changed" } });
    opened.tokens.invalidate();
    expect((await opened.tokens.activeToken(tokenId, userId))?.description).toBe("changed");
  });
});
