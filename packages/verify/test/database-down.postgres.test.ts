import { startPostgresCluster, type PostgresCluster } from "@tokensmith/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type FeedEvent, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, outcome, waitFor, type IssuedToken } from "./support/tokensmith.js";

/**
 * Tokensmith up but its database down: heartbeats keep coming, yet the server's own copy of the
 * feed stops being confirmed (`now - asOf` grows). The verifier counts that lag, so it answers 503
 * past maxStaleness although its connection is alive, and recovers when the database is back.
 * Its own cluster, since this test stops it.
 */
const MAX_STALENESS = 2_500;
let cluster: PostgresCluster;
let tokensmith: Tokensmith;
let verifier: Verifier;
let token: IssuedToken;
const feedEvents: FeedEvent[] = [];
const anyRequest = { method: "GET", path: "/" };

beforeAll(async () => {
  cluster = await startPostgresCluster();
  tokensmith = await Tokensmith.start({}, { kind: "postgres", url: cluster.url(), drop: async () => {} });
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: MAX_STALENESS, onFeedEvent: (event) => feedEvents.push(event) });
  expect(await verifier.ready()).toBe(true);
  token = await tokensmith.createToken();
  expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
});
afterAll(async () => {
  await verifier?.close();
  await tokensmith?.stop();
  cluster?.stop();
});

describe("Tokensmith's database down", () => {
  it("the server's own lag counts: 503 past maxStaleness with the feed still connected, back when the database is", async () => {
    const connectionsBefore = feedEvents.filter((event) => event.type === "connected").length;
    cluster.halt();
    const haltedAt = performance.now();
    const unavailable = await waitFor("503 while the database is down", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 503, MAX_STALENESS + 2_000, 20);
    console.log(`database down: 503 after ${unavailable.toFixed(0)} ms, feed connection kept (${feedEvents.length} feed events)`);
    expect(feedEvents.filter((event) => event.type === "disconnected")).toEqual([]);
    expect(verifier.status().staleness).toBeGreaterThan(MAX_STALENESS);
    cluster.start();
    const back = await waitFor("accepted again once the database is back", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === "admin", 15_000, 20);
    console.log(`database back: accepting again ${back.toFixed(0)} ms after it restarted (${(performance.now() - haltedAt).toFixed(0)} ms in all)`);
    expect(feedEvents.filter((event) => event.type === "connected").length).toBe(connectionsBefore);
  });
});
