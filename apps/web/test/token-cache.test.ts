import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { firstSights as firstSightsAt, metricsUrlOf } from "./support/metrics.js";

// TOKEN_CACHE_ENTRIES bounds how many tokens a server keeps verified (and their rows): memory
// against CPU. Seen through the first-sights counter: a token no longer cached is seen again.
const ADMIN_PASSWORD = "token-cache-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
const ENTRIES = 100;
let server: RunningServer;
let metricsUrl: string;

async function firstSights(): Promise<number> {
  const { hash, signature } = await firstSightsAt(metricsUrl);
  return hash + signature;
}
const create = async () => (await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "cache", jwt_token_life: "1 hour" } })).body;

/** First sights made by GETting each token `rounds` times, the tokens in turn. */
async function firstSightsGoingRound(tokens: { jwt_token: string; jwt_token_id: string }[], rounds: number): Promise<number> {
  const before = await firstSights();
  for (let round = 0; round < rounds; round++) {
    for (const token of tokens) expect((await request(`${server.url}/v1alpha/token/${token.jwt_token_id}`, { auth: `Bearer ${token.jwt_token}` })).status).toBe(200);
  }
  return (await firstSights()) - before;
}

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD, METRICS_PORT: "0", TOKEN_CACHE_ENTRIES: String(ENTRIES) });
  metricsUrl = metricsUrlOf(server);
}, 60_000);
afterAll(() => server?.stop());

describe("TOKEN_CACHE_ENTRIES", () => {
  it("keeps as many tokens verified as it says, and no more", { timeout: 60_000 }, async () => {
    const tokens = await Promise.all(Array.from({ length: 2 * ENTRIES + 30 }, () => create()));
    const [few, many] = [tokens.slice(0, ENTRIES - 10), tokens.slice(ENTRIES - 10)];
    // Fewer than it holds: each is seen once, then served from the cache.
    expect(await firstSightsGoingRound(few, 3)).toBe(few.length);
    // More than it holds, in turn: each has gone by the time it comes back.
    expect(await firstSightsGoingRound(many, 2)).toBe(2 * many.length);
  });

  it("refuses a size it cannot use", async () => {
    for (const value of ["99", "10000001", "lots", "1e4", "-5"]) {
      await expect(startServer({ DATABASE_URL: (await testDatabase()).url, TOKEN_CACHE_ENTRIES: value })).rejects.toThrow(/TOKEN_CACHE_ENTRIES .* must be a whole number from 100 to 10000000/);
    }
  });
});
