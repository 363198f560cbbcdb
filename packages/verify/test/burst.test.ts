import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { openFollower, type RawFollower } from "./support/raw-follower.js";
import { seedChildren } from "./support/seed.js";
import { FEED_KEY, Tokensmith, outcome, sleep, waitFor, type IssuedToken } from "./support/tokensmith.js";

/**
 * What one token's lineage puts on the feed at once: 14,000 tokens created from one token, then
 * that token revoked (15,000 entries in one commit). The feed used to judge each follower by one
 * buffer of 1 MiB: a new follower's snapshot passed it at ~12,500 entries and its stream was
 * destroyed, and so was every live follower's once the burst was queued for it, again on each
 * resume — every verifier then answered 503 to every valid token. Now each follower is served
 * from the hub's log by position, as fast as it reads. The verifiers ask for batches (?batch=1),
 * the raw followers for one event per entry: both are carried.
 */
const CHILDREN = 14_000;
const anyRequest = { method: "GET", path: "/api/orders/1" };
let tokensmith: Tokensmith;
const verifiers: Verifier[] = [];
const followers: RawFollower[] = [];

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
});
afterAll(async () => {
  for (const follower of followers) follower.close();
  await Promise.all(verifiers.map((verifier) => verifier.close()));
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

/**
 * maxStaleness 10 s (the default is 30 s): on SQLite the revoke itself is one synchronous write of
 * 15,000 rows, during which the server sends nothing at all — up to ~4.5 s on this shared machine.
 * What must never happen is the feed dropping the verifier, which used to mean 503 for good.
 */
function verifier(): Verifier {
  const created = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: 10_000, startupWait: 10_000 });
  verifiers.push(created);
  return created;
}

async function follower(headers: Record<string, string> = {}): Promise<RawFollower> {
  const opened = await openFollower(tokensmith.url, { headers: { authorization: `Bearer ${FEED_KEY}`, ...headers } });
  followers.push(opened);
  expect(opened.status).toBe(200);
  return opened;
}

describe("a burst of revocations", () => {
  it(`${CHILDREN.toLocaleString("en")} children of one token revoked with it reach every follower, new, live, slow or resuming`, async () => {
    const parent = await tokensmith.createToken({ jwt_token_life: "1 day" });
    // A few real children, signed through the API (Bearer parent: they are its children)…
    const children: IssuedToken[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await tokensmith.api("POST", "/v1alpha/token/", { jwt_token_description: "child", jwt_token_life: "1 hour" }, `Bearer ${parent.jwt_token}`);
      expect(res.status).toBe(201);
      children.push(res.body);
    }
    const bystander = await tokensmith.createToken();
    // …and the rest straight into the store (an HTTP loop of 14,000 creates takes minutes, and
    // MAX_TOKENS_PER_USER now stops one user at 10,000: several users together still get here).
    await seedChildren(tokensmith.database.url, parent.jwt_token_id, CHILDREN);

    const live = verifier();
    expect(await live.ready()).toBe(true);
    for (const token of [parent, ...children, bystander]) expect(await outcome(live.verify(token.jwt_token, anyRequest))).toBe("admin");
    const slow = await follower();
    await waitFor("the slow follower's first heartbeat", () => slow.heartbeats.length > 0);
    const before = slow.heartbeats.at(-1)!;
    slow.pause();

    // The bystander's token must be accepted throughout: a 503 here is every API down.
    let worst: string | number = "admin";
    let stalest = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const answer = await outcome(live.verify(bystander.jwt_token, anyRequest));
        stalest = Math.max(stalest, live.status().staleness);
        if (answer !== "admin") worst = answer;
        await sleep(20);
      }
    })();
    const started = performance.now();
    await tokensmith.revoke(parent.jwt_token_id);
    const refusedAfter = await waitFor(
      "the live verifier refuses the children",
      async () => (await Promise.all(children.map((child) => outcome(live.verify(child.jwt_token, anyRequest))))).every((answer) => answer === 401),
      20_000,
      20,
    );
    console.log(`burst of ${(CHILDREN + 4).toLocaleString("en")}: a live verifier refuses the children ${refusedAfter.toFixed(0)} ms after the revoke was answered (${(performance.now() - started).toFixed(0)} ms after it was sent)`);
    expect(await outcome(live.verify(parent.jwt_token, anyRequest))).toBe(401);
    // The feed carries a lineage ancestors first: the real children come in its first page, the
    // rest of the burst after them, as fast as the verifier reads.
    await waitFor("the live verifier holds the whole burst", () => live.status().revokedTokens >= CHILDREN + 4, 20_000, 20);
    await sleep(1_500);
    watching = false;
    await watch;
    console.log(`the live verifier's data was at most ${stalest.toFixed(0)} ms old during the burst`);
    expect(worst).toBe("admin");
    // Current again: heartbeats come once the burst is written.
    expect(live.status().staleness).toBeLessThan(2_500);

    // A follower that stopped reading during the burst is still there, and catches up once it reads.
    await sleep(2_000);
    slow.resume();
    await waitFor("the slow follower catches up", () => slow.heartbeats.at(-1)! >= before + CHILDREN + 4 || slow.ended, 20_000, 20);
    expect(slow.ended).toBe(false);
    expect(slow.revoked.size).toBeGreaterThanOrEqual(CHILDREN + 4);

    // One that resumes from before the burst gets all of it, and is told when it has caught up.
    const resumed = await follower({ "last-event-id": String(before) });
    await waitFor("the resumed follower catches up", () => (resumed.heartbeats.at(-1) ?? 0) >= before + CHILDREN + 4 || resumed.ended, 20_000, 20);
    expect(resumed.ended).toBe(false);
    expect(resumed.revoked.size).toBe(CHILDREN + 4);

    // A verifier started now gets the whole snapshot and refuses what it names.
    const fresh = verifier();
    const readyIn = performance.now();
    expect(await fresh.ready(10_000)).toBe(true);
    console.log(`a new verifier was ready ${(performance.now() - readyIn).toFixed(0)} ms after it started, holding ${fresh.status().revokedTokens} revocations`);
    expect(fresh.status().revokedTokens).toBeGreaterThanOrEqual(CHILDREN + 4);
    for (const token of [parent, ...children]) expect(await outcome(fresh.verify(token.jwt_token, anyRequest))).toBe(401);
    expect(await outcome(fresh.verify(bystander.jwt_token, anyRequest))).toBe("admin");
  });
});
