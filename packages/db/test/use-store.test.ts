import { describe, expect, it } from "vitest";
import type { OpenedDatabase, OutboxEvent } from "../src/index.js";
import { newToken, twoInstances } from "./support.js";

/**
 * The UseStore contract on each database, through two handles on one database (two instances):
 * spends racing at the last uses get exactly as many successes as were left; the spend that
 * leaves none writes its event, once; a refund never lifts the count above the maximum.
 */
const handles = twoInstances();
const now = Date.now();

async function limitedToken(opened: OpenedDatabase, maxUses: number | null): Promise<string> {
  const userId = (await opened.db.user.create({ data: { username: `u${Math.random().toString(36).slice(2, 10)}`, passwordHash: "x" } })).id;
  // An endpoint for every user: the outbox keeps only events some endpoint could receive.
  await opened.db.webhookEndpoint.create({ data: { id: `w${userId}`, userId, url: "https://hooks.example/x", sealedSecret: "s", events: "[]" } });
  const outcome = await opened.tokenWriter.create(newToken(userId, now, { maxUses, usesLeft: maxUses }), now);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.token.id;
}
const event = (tokenId: string): OutboxEvent => ({ id: `msg_${tokenId}`, type: "token.exhausted", userId: "", tokenId, payload: "{}", createdAt: now });

describe("UseStore", () => {
  it("20 spends over two instances at 6 uses left: exactly 6 succeed, the last leaves 0 and writes one event", async () => {
    const { a, b } = handles;
    const id = await limitedToken(a, 6);
    const userId = (await a.db.accessToken.findUniqueOrThrow({ where: { id } })).userId;
    const exhausted = () => [{ ...event(id), userId }];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).uses.spend(id, 1, exhausted)));
    expect(results.filter((left) => left !== null).sort((x, y) => x! - y!)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await a.db.webhookEvent.count({ where: { tokenId: id, type: "token.exhausted" } })).toBe(1);
  });

  it("spends several at once only when that many are left; refunds are capped at the maximum; a token without a limit spends nothing", async () => {
    const { a } = handles;
    const id = await limitedToken(a, 5);
    expect(await a.uses.spend(id, 6, () => [])).toBeNull();
    expect(await a.uses.spend(id, 4, () => [])).toBe(1);
    await a.uses.refund(id, 10);
    expect((await a.db.accessToken.findUniqueOrThrow({ where: { id } })).usesLeft).toBe(5);
    const unlimited = await limitedToken(a, null);
    expect(await a.uses.spend(unlimited, 1, () => [])).toBeNull();
    expect((await a.db.accessToken.findUniqueOrThrow({ where: { id: unlimited } })).usesLeft).toBeNull();
  });
});
