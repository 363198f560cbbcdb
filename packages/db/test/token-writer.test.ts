import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type NewToken, type OpenedDatabase } from "../src/index.js";
import { newToken } from "./support.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let userId: string;
const HOUR = 3_600_000;

beforeEach(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  userId = (await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

/** One clock per test file run: tokens made a millisecond apart must not "outlive" each other by accident. */
const now = Date.now();
const token = (over: Partial<NewToken> = {}): NewToken => newToken(userId, now, over);
async function created(over: Partial<NewToken> = {}): Promise<string> {
  const outcome = await opened.tokenWriter.create(token(over), now);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.token.id;
}
const endOf = async (id: string) => (await opened.db.accessToken.findUniqueOrThrow({ where: { id } })).revokedAt?.getTime() ?? null;

describe(`token writer (${process.env.TOKENSMITH_TEST_DATABASE ?? "sqlite"})`, () => {
  it("lets exactly one of ten concurrent rotations win", async () => {
    const id = await created();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => opened.tokenWriter.rotate({ oldId: id, userId, replacement: token(), rotatedBy: null, overlapMs: 60_000, now: now + 1 })),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.reason === "already_rotated")).toHaveLength(9);
    expect(await opened.db.accessToken.count({ where: { familyId: id } })).toBe(2);
  });

  it("refuses to rotate a paused token (a pause committed before the rotation wins), and rotates it once resumed", async () => {
    const id = await created();
    await opened.db.accessToken.update({ where: { id }, data: { pausedAt: new Date(now), pausedBy: id } });
    const refused = await opened.tokenWriter.rotate({ oldId: id, userId, replacement: token(), rotatedBy: null, overlapMs: 60_000, now: now + 1 });
    expect(refused).toEqual({ ok: false, reason: "paused" });
    expect(await opened.db.accessToken.count({ where: { familyId: id } })).toBe(0);
    await opened.db.accessToken.update({ where: { id }, data: { pausedAt: null, pausedBy: null } });
    expect((await opened.tokenWriter.rotate({ oldId: id, userId, replacement: token(), rotatedBy: null, overlapMs: 60_000, now: now + 2 })).ok).toBe(true);
  });

  it("refuses a child of an ended parent, and one that would outlive its parent", async () => {
    const parent = await created({ expiresAt: now + HOUR });
    const tooLong = await opened.tokenWriter.create(token({ parentId: parent, expiresAt: now + 2 * HOUR }), now);
    expect(tooLong).toEqual({ ok: false, reason: "outlives_parent", parentEndsAt: expect.any(Number) });
    expect(await created({ parentId: parent, expiresAt: now + HOUR })).toBeTypeOf("string");
    await opened.tokenWriter.endLineage({ ids: [parent], owner: userId, at: now + 1 });
    expect(await opened.tokenWriter.create(token({ parentId: parent, expiresAt: now + 60_000 }), now + 1)).toEqual({ ok: false, reason: "parent_ended" });
  });

  it("ends a token and everything created from it, transitively, and only the owner's", async () => {
    const a = await created();
    const b = await created({ parentId: a });
    const c = await created({ parentId: b });
    const unrelated = await created();
    expect((await opened.tokenWriter.endLineage({ ids: [a], owner: "someone-else", at: now + 1 })).roots).toEqual([]);
    const result = await opened.tokenWriter.endLineage({ ids: [a], owner: userId, at: now + 1 });
    expect(result.roots).toEqual([a]);
    expect(result.ended.sort()).toEqual([a, b, c].sort());
    expect(await endOf(unrelated)).toBeNull();
    // Ending again finds no root in force.
    expect((await opened.tokenWriter.endLineage({ ids: [a], owner: null, at: now + 1 })).roots).toEqual([]);
  });

  it("rotation stops the old token's children with it; the replacement stays its parent's child", async () => {
    const parent = await created({ expiresAt: now + 10 * HOUR });
    const old = await created({ parentId: parent, expiresAt: now + 5 * HOUR });
    const child = await created({ parentId: old, expiresAt: now + 5 * HOUR });
    const outcome = await opened.tokenWriter.rotate({ oldId: old, userId, replacement: token({ expiresAt: now + 5 * HOUR }), rotatedBy: null, overlapMs: 60_000, now });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.oldStopsAt).toBe(now + 60_000);
    expect(outcome.token.parentId).toBe(parent);
    expect(outcome.token.familyId).toBe(old);
    expect(await endOf(child)).toBe(now + 60_000);
    // Ending the parent now ends the replacement too.
    const ended = await opened.tokenWriter.endLineage({ ids: [parent], owner: null, at: now + 1 });
    expect(ended.ended).toContain(outcome.token.id);
  });

  it("reuse detection ends the whole family and what its members created", async () => {
    const first = await created();
    const r = await opened.tokenWriter.rotate({ oldId: first, userId, replacement: token(), rotatedBy: null, overlapMs: HOUR, now });
    if (!r.ok) throw new Error(r.reason);
    // Made by the old token during its overlap.
    const child = await created({ parentId: first, expiresAt: now + 30 * 60_000 });
    const ended = await opened.tokenWriter.endFamily(first, now + 1);
    expect(ended.sort()).toEqual([first, r.token.id, child].sort());
  });

  it("reuse detection writes an audit row for each token it ended, in its transaction, and none when nothing ended", async () => {
    const first = await created();
    const r = await opened.tokenWriter.rotate({ oldId: first, userId, replacement: token(), rotatedBy: null, overlapMs: 0, now });
    if (!r.ok) throw new Error(r.reason);
    const audit = (ended: string[]) =>
      ended.map((id) => ({ action: "token.revoke", userId, username: "u", tokenId: id, ip: "203.0.113.9", userAgent: null, detail: JSON.stringify({ reason: "reuse_detected", trigger: first }) }));
    expect(await opened.tokenWriter.endFamily(first, now + 1, undefined, audit)).toEqual([r.token.id]);
    const rows = await opened.db.auditEvent.findMany({ where: { action: "token.revoke" } });
    expect(rows.map((row) => [row.tokenId, row.ip, row.at.getTime(), JSON.parse(row.detail!)])).toEqual([
      [r.token.id, "203.0.113.9", now + 1, { reason: "reuse_detected", trigger: first }],
    ]);
    // Presented again: nothing left to end, nothing recorded.
    expect(await opened.tokenWriter.endFamily(first, now + 2, undefined, audit)).toEqual([]);
    expect(await opened.db.auditEvent.count()).toBe(1);
  });

  it("keeps our transactions out of Prisma's own (an upsert) running at the same time", async () => {
    const id = await created();
    await Promise.all([
      opened.db.setting.upsert({ where: { key: "k" }, create: { key: "k", value: "v" }, update: { value: "w" } }),
      opened.tokenWriter.endLineage({ ids: [id], owner: null, at: now + 1 }),
      opened.db.setting.upsert({ where: { key: "k" }, create: { key: "k", value: "v" }, update: { value: "w" } }),
    ]);
    expect(await endOf(id)).not.toBeNull();
    expect((await opened.db.setting.findUnique({ where: { key: "k" } }))?.value).toBe("w");
  });
});
