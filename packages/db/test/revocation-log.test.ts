import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type NewToken, type OpenedDatabase } from "../src/index.js";
import { newToken } from "./support.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let userId: string;
const HOUR = 3_600_000;
const now = Date.now();

beforeEach(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  userId = (await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

async function token(over: Partial<NewToken> = {}): Promise<string> {
  const t = newToken(userId, now, over);
  const outcome = await opened.tokenWriter.create(t, now);
  if (!outcome.ok) throw new Error(outcome.reason);
  return t.id;
}
const entries = async () => (await opened.revocations.after(0, 1000)).map((e) => [e.tokenId, e.endsAt]);

describe(`the revocation feed (${testDatabaseKind()})`, () => {
  it("records every end of an unexpired token, in order — and nothing else", async () => {
    const parent = await token();
    const child = await token({ parentId: parent });
    const rotated = await token();
    const other = await token();
    await opened.db.accessToken.update({ where: { id: other }, data: { lastUsedAt: new Date(), lastUsedIp: "10.0.0.1" } });
    expect(await entries()).toEqual([]);

    await opened.tokenWriter.endLineage({ ids: [parent], owner: null, at: now + 1 });
    const r = await opened.tokenWriter.rotate({ oldId: rotated, userId, replacement: { ...(await template()), id: randomUUID() }, rotatedBy: null, overlapMs: 60_000, now: now + 2 });
    if (!r.ok) throw new Error(r.reason);
    const feed = await entries();
    expect(feed.slice(0, 2).map(([id]) => id).sort()).toEqual([parent, child].sort());
    expect(feed[2]).toEqual([rotated, now + 2 + 60_000]);
    // Moving an end earlier again is recorded; a later end is not.
    await opened.db.accessToken.update({ where: { id: rotated }, data: { revokedAt: new Date(now + 3) } });
    await opened.db.accessToken.update({ where: { id: rotated }, data: { revokedAt: new Date(now + HOUR) } });
    expect((await entries()).slice(3)).toEqual([[rotated, now + 3]]);
    const seqs = (await opened.revocations.after(0, 1000)).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("puts a lineage on the feed ancestors first, so a follower part-way through a burst refuses the root before its children", async () => {
    // Each generation created after the one before it, as the API does; ids are random.
    const root = await token();
    const children = [];
    for (let i = 1; i <= 20; i++) children.push(await token({ parentId: root, createdAt: now + i }));
    const grandchildren = [];
    for (let i = 0; i < 20; i++) grandchildren.push(await token({ parentId: children[i % children.length], createdAt: now + 100 + i }));
    await opened.tokenWriter.endLineage({ ids: [root], owner: null, at: now + 1_000 });
    const order = (await entries()).map(([id]) => id);
    expect(order).toHaveLength(41);
    expect(order[0]).toBe(root);
    const position = (id: unknown) => order.indexOf(id as string);
    for (const [i, grandchild] of grandchildren.entries()) expect(position(grandchild)).toBeGreaterThan(position(children[i % children.length]));
  });

  it("records the tokens of a deleted user, and prunes entries once their token has expired", async () => {
    const t0 = Date.now();
    const live = await token();
    const short = await token({ expiresAt: t0 + 5_000 });
    await opened.db.user.delete({ where: { id: userId } });
    const feed = await opened.revocations.after(0, 100);
    expect(feed.map((e) => e.tokenId).sort()).toEqual([live, short].sort());
    expect((await opened.revocations.active(t0 + 6_000)).map((e) => e.tokenId)).toEqual([live]);
    expect(await opened.revocations.prune(t0 + 6_000, 100)).toBe(1);
    expect((await opened.revocations.after(0, 100)).map((e) => e.tokenId)).toEqual([live]);
  });

  it("tells a watcher when entries are appended", async () => {
    const id = await token();
    let calls = 0;
    const stop = opened.revocations.watch(() => calls++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = calls;
    await opened.tokenWriter.endLineage({ ids: [id], owner: null, at: Date.now() });
    for (let i = 0; i < 50 && calls === before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toBeGreaterThan(before);
    stop();
  });
});

async function template(): Promise<NewToken> {
  return newToken(userId, now, { description: "r" });
}
