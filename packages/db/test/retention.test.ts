import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase, type PruneResult } from "../src/index.js";
import { newToken } from "./support.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let userId: string;
const DAY = 86_400_000;
const now = Date.now();
/** TOKEN_RETENTION in these tests: 90 days. */
const cutoff = now - 90 * DAY;

beforeEach(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  userId = (await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

/** A token that was created, expires, and maybe was revoked at the given times; with usage counted. */
async function token(expiresAt: number, revokedAt: number | null = null): Promise<string> {
  const createdAt = Math.min(expiresAt, revokedAt ?? expiresAt) - DAY;
  const t = newToken(userId, createdAt, { expiresAt });
  const outcome = await opened.tokenWriter.create(t, t.createdAt);
  if (!outcome.ok) throw new Error(outcome.reason);
  if (revokedAt !== null) await opened.db.accessToken.update({ where: { id: t.id }, data: { revokedAt: new Date(revokedAt) } });
  await opened.usage.add([{ tokenId: t.id, hour: t.createdAt - (t.createdAt % 3_600_000), allowed: 3, unauthorized: 1, forbidden: 0, limited: 0 }]);
  return t.id;
}

const tokenIds = async () => (await opened.db.accessToken.findMany({ select: { id: true } })).map((t) => t.id).sort();
const usageIds = async () => [...new Set((await opened.db.tokenUsage.findMany()).map((u) => u.tokenId))].sort();
const feedIds = async () => [...new Set((await opened.db.tokenRevocation.findMany()).map((r) => r.tokenId))].sort();

/** Runs batches until one deletes fewer than `batch` rows; returns each batch's count. */
async function drain(step: () => Promise<PruneResult>, batch: number): Promise<PruneResult[]> {
  const results: PruneResult[] = [];
  for (;;) {
    const result = await step();
    results.push(result);
    if (result === "busy" || result < batch) return results;
  }
}

describe(`retention (${testDatabaseKind()})`, () => {
  it("deletes ended tokens with their usage and feed rows — never one whose JWT still verifies", async () => {
    const expiredLongAgo = await token(cutoff - DAY);
    const revokedLongAgoExpiredSince = await token(now - DAY, cutoff - DAY);
    const expiredRecently = await token(now - DAY);
    const revokedRecently = await token(now - DAY, now - 2 * DAY);
    // Revoked long ago, but its JWT (a year's life) has not expired: its row and feed row stay.
    const revokedLongAgoStillSigned = await token(now + 200 * DAY, cutoff - DAY);
    const inForce = await token(now + DAY);
    const inOverlap = await token(now + DAY, now + 60_000);
    const kept = [expiredRecently, revokedRecently, revokedLongAgoStillSigned, inForce, inOverlap].sort();
    expect(await feedIds()).toEqual([revokedLongAgoExpiredSince, revokedRecently, revokedLongAgoStillSigned, inOverlap].sort());

    expect(await drain(() => opened.retention.deleteEndedTokens(cutoff, now, 1000), 1000)).toEqual([2]);
    expect(await tokenIds()).toEqual(kept);
    expect(await usageIds()).toEqual(kept);
    expect(await feedIds()).toEqual([revokedRecently, revokedLongAgoStillSigned, inOverlap].sort());
    expect((await opened.revocations.active(now)).map((e) => e.tokenId).sort()).toEqual([revokedLongAgoStillSigned, inOverlap].sort());
    // The revoked-but-unexpired token is still refused by its row.
    const record = await opened.tokens.authRecord(revokedLongAgoStillSigned);
    expect(record?.revokedAt).toBe(cutoff - DAY);
    // Nothing more to do, and running it again changes nothing.
    expect(await opened.retention.deleteEndedTokens(cutoff, now, 1000)).toBe(0);
    expect(await tokenIds()).toEqual(kept);
  });

  it("works in bounded batches", async () => {
    const doomed = await Promise.all(Array.from({ length: 7 }, (_, i) => token(cutoff - i * DAY)));
    const revokedDoomed = await Promise.all(Array.from({ length: 4 }, (_, i) => token(now - i * 1000 - 1, cutoff - DAY)));
    const young = await token(now + DAY);
    expect(await drain(() => opened.retention.deleteEndedTokens(cutoff, now, 3), 3)).toEqual([3, 3, 3, 2]);
    expect(await tokenIds()).toEqual([young]);
    expect(doomed.length + revokedDoomed.length).toBe(11);
  });

  it("deletes expired sessions and old audit events, a batch at a time", async () => {
    const session = (expiresAt: number) => opened.db.session.create({ data: { id: randomUUID(), userId, expiresAt: new Date(expiresAt) } });
    for (let i = 0; i < 5; i++) await session(now - i * 1000);
    const live = await session(now + DAY);
    expect(await drain(() => opened.retention.deleteExpiredSessions(now, 2), 2)).toEqual([2, 2, 1]);
    expect((await opened.db.session.findMany()).map((s) => s.id)).toEqual([live.id]);

    const event = (at: number) => opened.db.auditEvent.create({ data: { action: "token.create", at: new Date(at) } });
    for (let i = 1; i <= 4; i++) await event(now - 400 * DAY - i);
    const recent = await event(now - 399 * DAY);
    expect(await drain(() => opened.retention.deleteAuditEvents(now - 400 * DAY, 3), 3)).toEqual([3, 1]);
    expect((await opened.db.auditEvent.findMany()).map((e) => e.id)).toEqual([recent.id]);
  });

  it("is safe to run from two connections at once", async () => {
    const doomed = await Promise.all(Array.from({ length: 60 }, (_, i) => token(cutoff - i * 1000)));
    const keep = await token(now + 100 * DAY, cutoff - DAY);
    const other = await openDatabase(database.url);
    try {
      const runs = await Promise.all(
        [opened, other].map((db) => drain(() => db.retention.deleteEndedTokens(cutoff, now, 5), 5)),
      );
      const deleted = runs.flat().filter((r): r is number => r !== "busy");
      // Each row went once; an instance that found the other pruning (PostgreSQL) left it the work.
      expect(deleted.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(doomed.length);
      while ((await opened.retention.deleteEndedTokens(cutoff, now, 100)) !== 0);
      expect(await tokenIds()).toEqual([keep]);
    } finally {
      await other.close();
    }
  });
});
