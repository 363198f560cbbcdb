import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, outcome, sleep, waitFor, type IssuedToken } from "./support/tokensmith.js";

/** Key rotation picked up without a restart; made-up key ids cost at most one fetch per cooldown. */
let tokensmith: Tokensmith;
let verifier: Verifier;
const keySetFetches: number[] = [];
const anyRequest = { method: "GET", path: "/" };

beforeAll(async () => {
  tokensmith = await Tokensmith.start({ KEY_PUBLISH_DELAY: "1 second" });
  // The `fetch` option: every request the verifier makes goes through it (here, to count them).
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input).endsWith("/.well-known/jwks.json")) keySetFetches.push(performance.now());
    return fetch(input, init);
  };
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, fetch: countingFetch, keyRefetchCooldown: 3_000 });
});
afterAll(async () => {
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

const kidOf = (token: IssuedToken) => decodeProtectedHeader(token.jwt_token).kid;

describe("signing keys", () => {
  it("a token signed by a newly rotated key verifies without restarting the verifier", async () => {
    const before = await tokensmith.createToken();
    expect(await outcome(verifier.verify(before.jwt_token, anyRequest))).toBe("admin");
    expect(keySetFetches).toHaveLength(1);

    await tokensmith.rotateKeys();
    let after = before;
    await waitFor("a new token carries the new kid", async () => {
      after = await tokensmith.createToken();
      return kidOf(after) !== kidOf(before);
    }, 15_000, 100);
    const started = performance.now();
    expect(await outcome(verifier.verify(after.jwt_token, anyRequest))).toBe("admin");
    console.log(`new kid: verified ${(performance.now() - started).toFixed(0)} ms after first sight (${keySetFetches.length} key set fetches in all)`);
    expect(keySetFetches).toHaveLength(2);
    // The old key still verifies what it signed.
    expect(await outcome(verifier.verify(before.jwt_token, anyRequest))).toBe("admin");
  });

  it("tokens naming unknown kids are refused, and refetch the key set at most once per cooldown", async () => {
    const real = await tokensmith.createToken();
    const [, payload, signature] = real.jwt_token.split(".");
    const withKid = (kid: string) => `${Buffer.from(JSON.stringify({ alg: "ES256", typ: "JWT", kid })).toString("base64url")}.${payload}.${signature}`;
    await sleep(3_100); // past the cooldown of the fetch in the test above
    const fetchesBefore = keySetFetches.length;
    // Twenty at once: one refetch, joined by all, and all refused.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => outcome(verifier.verify(withKid(`made-up-${i}`), anyRequest))));
    expect(burst.every((answer) => answer === 401)).toBe(true);
    expect(keySetFetches.length - fetchesBefore).toBe(1);
    // One more within the cooldown waits for its end, refetches once (a rotated-in key would be
    // found then), and is refused.
    const started = performance.now();
    const late = await Promise.all([outcome(verifier.verify(withKid("late-1"), anyRequest)), outcome(verifier.verify(withKid("late-2"), anyRequest))]);
    const waited = performance.now() - started;
    console.log(`unknown kid within the cooldown: refused after ${waited.toFixed(0)} ms, ${keySetFetches.length - fetchesBefore} key set fetches`);
    expect(late).toEqual([401, 401]);
    expect(waited).toBeGreaterThan(2_500);
    expect(keySetFetches.length - fetchesBefore).toBe(2);
    // The refetch starts when the cooldown ends, not later: timed from fetch to fetch, so the
    // server's answer (seconds, on a loaded machine) is not counted against the verifier.
    const [burstFetch, lateFetch] = keySetFetches.slice(fetchesBefore);
    expect(lateFetch! - burstFetch!).toBeGreaterThanOrEqual(3_000 - 50);
    expect(lateFetch! - burstFetch!).toBeLessThan(3_000 + 1_000);
    expect(await outcome(verifier.verify(real.jwt_token, anyRequest))).toBe("admin");
  });
});
