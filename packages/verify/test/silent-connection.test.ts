import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { startProxy, type SilentProxy } from "./support/proxy.js";
import { FEED_KEY, Tokensmith, outcome, waitFor } from "./support/tokensmith.js";

/**
 * A feed connection that goes silent without closing (no FIN, no RST: a middlebox forgot it) is
 * taken for dead after `silenceTimeout` and reopened, resuming with Last-Event-ID.
 */
const SILENCE_TIMEOUT = 1_500;
let tokensmith: Tokensmith;
let proxy: SilentProxy;
let verifier: Verifier;
const feedEvents: string[] = [];
const anyRequest = { method: "GET", path: "/" };

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  proxy = await startProxy(tokensmith.url);
  verifier = createVerifier({
    feedKey: FEED_KEY,
    issuer: tokensmith.url,
    baseUrl: proxy.url,
    maxStaleness: 5_000,
    silenceTimeout: SILENCE_TIMEOUT,
    onFeedEvent: (event) => feedEvents.push(`${Math.round(performance.now())} ${JSON.stringify(event)}`),
  });
  expect(await verifier.ready()).toBe(true);
});
afterAll(async () => {
  await verifier?.close();
  await proxy?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

describe("a silent feed connection", () => {
  it("is dropped after silenceTimeout and reopened with Last-Event-ID, without a 503 on the way", async () => {
    const token = await tokensmith.createToken();
    const revokedEarlier = await tokensmith.createToken();
    await tokensmith.revoke(revokedEarlier.jwt_token_id);
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
    await waitFor("the earlier revocation arrives", async () => (await outcome(verifier.verify(revokedEarlier.jwt_token, anyRequest))) === 401);
    const feedRequests = () => proxy.requestHeads.filter((head) => head.startsWith("GET /v1alpha/revocations"));
    expect(feedRequests()).toHaveLength(1);

    proxy.blackhole();
    let worst: string | number = "admin";
    const reopened = await waitFor("a new feed connection", async () => {
      const answer = await outcome(verifier.verify(token.jwt_token, anyRequest));
      if (answer !== "admin") worst = answer;
      return feedRequests().length >= 2 && verifier.status().staleness < 1_500;
    }, 10_000, 20).catch((error: Error) => {
      throw new Error(`${error.message}\nfeed events: ${feedEvents.join("\n")}\nrequests: ${JSON.stringify(proxy.requestHeads.map((head) => head.split("\r\n")[0]))}`);
    });
    console.log(`silent connection: reopened and fresh again ${reopened.toFixed(0)} ms after it went silent`);
    expect(reopened).toBeGreaterThanOrEqual(SILENCE_TIMEOUT - 300);
    expect(worst).toBe("admin");
    expect(feedRequests()[1]).toMatch(/\r\nlast-event-id: \d+\r\n/i);

    // The reopened connection carries what happens next.
    await tokensmith.revoke(token.jwt_token_id);
    await waitFor("a revocation after the reconnection arrives", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 2_000, 5);
  });
});
