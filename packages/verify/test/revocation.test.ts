import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, outcome, sleep, waitFor } from "./support/tokensmith.js";

/** Revocations pushed over the feed: snapshot, live events, and the future `at` of a rotation overlap. */
let tokensmith: Tokensmith;
let verifier: Verifier;
const anyRequest = { method: "GET", path: "/api/orders/1" };

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
});
afterAll(async () => {
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

describe("revocation", () => {
  it("a token revoked before the verifier started is refused (from the snapshot)", async () => {
    const early = await tokensmith.createToken();
    await tokensmith.revoke(early.jwt_token_id);
    verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: 5_000 });
    expect(await verifier.ready()).toBe(true);
    expect(await outcome(verifier.verify(early.jwt_token, anyRequest))).toBe(401);
  });

  // How fast is measured by `pnpm bench` (packages/bench/src/verify.mjs), not asserted here.
  it("a revocation over REST reaches the verifier by itself: refused without a restart or a request of its own", async () => {
    const figures: number[] = [];
    for (let i = 0; i < 5; i++) {
      const token = await tokensmith.createToken();
      expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
      const started = performance.now();
      await tokensmith.revoke(token.jwt_token_id);
      await waitFor("the verifier refuses the revoked token", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 5_000, 1);
      figures.push(performance.now() - started);
    }
    console.log(`revocation → verifier refuses: ${figures.map((ms) => ms.toFixed(1)).join(", ")} ms (from sending the DELETE)`);
  });

  it("a token rotated with an overlap keeps verifying until the overlap ends, then is refused", async () => {
    const old = await tokensmith.createToken();
    expect(await outcome(verifier.verify(old.jwt_token, anyRequest))).toBe("admin");
    const rotated = await tokensmith.rotateToken(old.jwt_token_id, "3 seconds");
    const endsAt = new Date(rotated.old_token_expires_at).getTime();
    expect(endsAt - Date.now()).toBeGreaterThan(2000);
    // The feed has told the verifier by now (the revocation above took milliseconds); still accepted.
    await sleep(300);
    expect(verifier.status().revokedTokens).toBeGreaterThanOrEqual(2);
    while (Date.now() < endsAt - 100) {
      expect(await outcome(verifier.verify(old.jwt_token, anyRequest))).toBe("admin");
      await sleep(100);
    }
    await waitFor("the old token is refused once its overlap ends", async () => (await outcome(verifier.verify(old.jwt_token, anyRequest))) === 401, 1_000, 1);
    const lateBy = Date.now() - endsAt;
    console.log(`rotation overlap: refused ${lateBy} ms after its end`);
    expect(lateBy).toBeGreaterThanOrEqual(0);
    expect(await outcome(verifier.verify(rotated.jwt_token, anyRequest))).toBe("admin");
  });

  it("in normal operation the data stays fresh: staleness is the time since the last heartbeat plus the server's own lag", async () => {
    const seen: number[] = [];
    for (let i = 0; i < 60; i++) {
      seen.push(verifier.status().staleness);
      await sleep(50);
    }
    console.log(`staleness over 3 s: max ${Math.max(...seen).toFixed(0)} ms, min ${Math.min(...seen).toFixed(0)} ms`);
    expect(Math.max(...seen)).toBeLessThan(2500);
  });
});
