import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { openFollower, type RawFollower } from "./support/raw-follower.js";
import { FEED_KEY, Tokensmith, outcome, waitFor } from "./support/tokensmith.js";

/**
 * Each follower holds a connection for as long as it likes. One anonymous client used to be able
 * to take every slot (1,000): heartbeats kept its sockets alive, and every verifier that then
 * reconnected got 503 and failed closed. Now a caller without the feed key holds nothing, and a
 * key holder (a leaked key, a verifier gone wrong) at most 50 per address.
 */
const ATTACKER = "127.0.0.2";
let tokensmith: Tokensmith;
let verifier: Verifier | undefined;
const held: RawFollower[] = [];

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
});
afterAll(async () => {
  for (const follower of held) follower.close();
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

/** Opens `count` followers from `address`, 100 at a time; keeps the ones answered 200 open. */
async function flood(count: number, address: string, headers: Record<string, string> = {}): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => openFollower(tokensmith.url, { localAddress: address, headers })));
    for (const follower of batch) {
      statuses.set(follower.status, (statuses.get(follower.status) ?? 0) + 1);
      if (follower.status === 200) held.push(follower);
      else follower.close();
    }
  }
  return statuses;
}

describe("follower slots", () => {
  it("1,000 anonymous followers and 1,000 with the key from one address leave room for a verifier at another", async () => {
    expect(await flood(1000, ATTACKER)).toEqual(new Map([[401, 1000]]));
    expect(await flood(1000, ATTACKER, { authorization: `Bearer ${FEED_KEY}` })).toEqual(new Map([[200, 50], [429, 950]]));
    // Another address has a share of its own.
    expect(await flood(10, "127.0.0.3", { authorization: `Bearer ${FEED_KEY}` })).toEqual(new Map([[200, 10]]));

    const token = await tokensmith.createToken();
    verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: 5_000 });
    expect(await verifier.ready()).toBe(true);
    expect(await outcome(verifier.verify(token.jwt_token, { method: "GET", path: "/" }))).toBe("admin");

    // A slot is given back when its follower leaves.
    for (const follower of held.splice(0)) follower.close();
    await waitFor("the attacker's address may follow again", async () => {
      const again = await openFollower(tokensmith.url, { localAddress: ATTACKER, headers: { authorization: `Bearer ${FEED_KEY}` } });
      again.close();
      return again.status === 200;
    }, 5_000, 50);
  });
});
