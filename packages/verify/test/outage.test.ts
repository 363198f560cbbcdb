import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, outcome, sleep, waitFor, type IssuedToken } from "./support/tokensmith.js";

/**
 * Tokensmith frozen (SIGSTOP) and killed: the verifier keeps verifying from what it holds until
 * its data is older than maxStaleness, then answers 503, and recovers when Tokensmith is back.
 *
 * MAX_STALENESS is 2.5 s rather than 1.5 s: in normal operation the data is up to ~2 s old (a
 * heartbeat every second, plus the server's own `now - asOf`, which its one-second sync loop keeps
 * between 0 and 1 s), so anything under ~2 s would answer 503 now and then with the server well.
 */
const MAX_STALENESS = 2_500;
let tokensmith: Tokensmith;
let verifier: Verifier;
let token: IssuedToken;
let revoked: IssuedToken;
const anyRequest = { method: "GET", path: "/api/orders/1" };

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  token = await tokensmith.createToken();
  revoked = await tokensmith.createToken();
  await tokensmith.revoke(revoked.jwt_token_id);
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: MAX_STALENESS });
  expect(await verifier.ready()).toBe(true);
  // Seen once while Tokensmith is up: the key set is fetched and both are in the verifier's memory.
  expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
  expect(await outcome(verifier.verify(revoked.jwt_token, anyRequest))).toBe(401);
});
afterAll(async () => {
  const child = tokensmith?.server.process;
  if (child && child.exitCode === null && child.signalCode === null) process.kill(tokensmith.pid, "SIGCONT");
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

/**
 * Verifies every 20 ms from now until the first 503. Every answer before it must be an acceptance
 * given while the data was within maxStaleness (the revoked token still refused), and the 503 must
 * come once it is past it. Returns when the 503 came, in ms from now.
 */
async function acceptedUntilUnavailable(): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await outcome(verifier.verify(token.jwt_token, anyRequest));
    const staleness = verifier.status().staleness;
    if (answer === 503) {
      expect(staleness).toBeGreaterThan(MAX_STALENESS);
      return performance.now() - started;
    }
    expect(answer).toBe("admin");
    expect(staleness).toBeLessThanOrEqual(MAX_STALENESS + 25); // the age one poll later
    expect(await outcome(verifier.verify(revoked.jwt_token, anyRequest))).toBe(401);
    expect(performance.now() - started).toBeLessThan(MAX_STALENESS + 1_000);
    await sleep(20);
  }
}

const recovered = () => waitFor("the verifier accepts again", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === "admin", 15_000, 20);

describe("Tokensmith unreachable", () => {
  it("frozen with SIGSTOP: verifies from what it holds until maxStaleness, then 503; SIGCONT brings it back", async () => {
    await sleep(1_500);
    const stalenessAtFreeze = verifier.status().staleness;
    process.kill(tokensmith.pid, "SIGSTOP");
    const unavailableAfter = await acceptedUntilUnavailable();
    console.log(`frozen: accepted for ${unavailableAfter.toFixed(0)} ms (data ${stalenessAtFreeze.toFixed(0)} ms old at the freeze), then 503`);
    // Accepted for what was left of maxStaleness: the age at the freeze plus the time since (a
    // heartbeat still in flight then may change the server's lag it counts, by up to a second).
    expect(stalenessAtFreeze + unavailableAfter).toBeGreaterThan(MAX_STALENESS - 1_000);
    expect(stalenessAtFreeze + unavailableAfter).toBeLessThan(MAX_STALENESS + 100);
    // Refusals are still given while stale: a forged token is 401, not 503.
    const [header, payload] = token.jwt_token.split(".");
    expect(await outcome(verifier.verify(`${header}.${payload}.${"A".repeat(86)}`, anyRequest))).toBe(401);
    expect(await outcome(verifier.verify(revoked.jwt_token, anyRequest))).toBe(401);
    await sleep(3_000); // long enough for the silent connection to be dropped and retried
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe(503);
    process.kill(tokensmith.pid, "SIGCONT");
    const back = await recovered();
    console.log(`frozen: accepting again ${back.toFixed(0)} ms after SIGCONT`);
    expect(verifier.status().fresh).toBe(true);
  });

  it("killed: 503 after maxStaleness; restarted on the same database, it recovers and follows new revocations", async () => {
    await sleep(1_500);
    const stalenessAtKill = verifier.status().staleness;
    await tokensmith.kill();
    const unavailableAfter = await acceptedUntilUnavailable();
    console.log(`killed: accepted for ${unavailableAfter.toFixed(0)} ms (data ${stalenessAtKill.toFixed(0)} ms old at the kill), then 503`);
    expect(stalenessAtKill + unavailableAfter).toBeGreaterThan(MAX_STALENESS - 1_000);
    expect(stalenessAtKill + unavailableAfter).toBeLessThan(MAX_STALENESS + 100);
    await sleep(2_000);
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe(503);
    const restarting = performance.now();
    await tokensmith.restart();
    const up = performance.now() - restarting;
    const back = await recovered();
    console.log(`killed: server up again in ${up.toFixed(0)} ms, verifier accepting ${back.toFixed(0)} ms after that`);
    // What it learnt before the outage still holds, and the feed it resumed carries what is new.
    expect(await outcome(verifier.verify(revoked.jwt_token, anyRequest))).toBe(401);
    await tokensmith.revoke(token.jwt_token_id);
    await waitFor("a revocation after the restart reaches the verifier", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 2_000, 5);
  });
});
