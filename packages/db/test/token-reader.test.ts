import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type OpenedDatabase } from "../src/index.js";

let dir: string;
let opened: OpenedDatabase;
let tokenId: string;
let userId: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-reader-"));
  opened = await openDatabase(path.join(dir, "r.db"));
  const user = await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } });
  userId = user.id;
  tokenId = crypto.randomUUID();
  await opened.db.accessToken.create({
    data: { id: tokenId, userId, description: "d", lifeSeconds: 60, tokenHash: "h", createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) },
  });
});
afterEach(async () => {
  await opened.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("token reader", () => {
  it("reads what Prisma wrote, in the same shape", async () => {
    const viaPrisma = await opened.db.accessToken.findUniqueOrThrow({ where: { id: tokenId } });
    expect(opened.tokens.activeToken(tokenId, userId)).toEqual(viaPrisma);
    expect(opened.tokens.activeToken(tokenId, "someone-else")).toBeUndefined();
    expect(opened.tokens.activeTokens(userId)).toEqual([{ ...viaPrisma, tokenHash: "" }]);
    expect(opened.tokens.authRecord(tokenId)).toMatchObject({ userId, username: "alice", isAdmin: false, revokedAt: null });
  });

  it("sees a write by this process's Prisma connection without invalidate() within the recheck interval", async () => {
    expect(opened.tokens.authRecord(tokenId)?.revokedAt).toBeNull();
    await opened.db.accessToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await pause(5);
    expect(opened.tokens.authRecord(tokenId)?.revokedAt).toBeTypeOf("number");
    expect(opened.tokens.activeToken(tokenId, userId)).toBeUndefined();
  });

  it("sees a write by another process's connection (the admin CLI, another instance)", async () => {
    expect(opened.tokens.activeToken(tokenId, userId)).toBeDefined();
    const other = new Sqlite(opened.file);
    other.prepare(`UPDATE "AccessToken" SET "revokedAt" = ? WHERE "id" = ?`).run(new Date().toISOString(), tokenId);
    other.close();
    await pause(5);
    expect(opened.tokens.activeToken(tokenId, userId)).toBeUndefined();
  });

  it("serves from memory until told otherwise, and invalidate() forgets at once", async () => {
    const reader = (await import("../src/sqlite/token-reader.js")).createTokenReader(opened.file, { recheckMs: 60_000 });
    expect(reader.authRecord(tokenId)?.revokedAt).toBeNull();
    await opened.db.accessToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    // With a long recheck interval the cached row stands, until the writer says it wrote.
    expect(reader.authRecord(tokenId)?.revokedAt).toBeNull();
    reader.invalidate();
    expect(reader.authRecord(tokenId)?.revokedAt).toBeTypeOf("number");
    reader.close();
  });
});
