import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_KEY, Tokensmith, outcome, waitFor } from "./support/tokensmith.js";

/**
 * A verifier of the previous release (fixtures/previous-release: that release's build) against
 * this Tokensmith, as after an upgrade: without a key it fails closed; given the key through its
 * `fetch` option, as the verify README says, it follows the feed and refuses revoked tokens.
 */
type PreviousVerifier = { ready(ms?: number): Promise<boolean>; verify(token: string, request: object): Promise<{ username: string }>; close(): Promise<void> };
const { createVerifier } = (await import("./fixtures/previous-release/index.js" as string)) as {
  createVerifier(options: Record<string, unknown>): PreviousVerifier;
};
const anyRequest = { method: "GET", path: "/api/orders/1" };
let tokensmith: Tokensmith;
const verifiers: PreviousVerifier[] = [];

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
});
afterAll(async () => {
  await Promise.all(verifiers.map((verifier) => verifier.close()));
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

describe("a verifier of the previous release", () => {
  it("without a feed key: never ready, 503 to every token (closed, not open)", async () => {
    const reasons: string[] = [];
    const verifier = createVerifier({ issuer: tokensmith.url, startupWait: 500, onFeedEvent: (event: { reason?: string }) => event.reason && reasons.push(event.reason) });
    verifiers.push(verifier);
    const token = await tokensmith.createToken();
    expect(await verifier.ready(3_000)).toBe(false);
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe(503);
    expect(reasons[0]).toBe("the revocation feed answered 401");
  });

  it("given the key through its fetch option: follows the feed in one event per entry, and refuses revoked tokens", async () => {
    const before = await tokensmith.createToken();
    await tokensmith.revoke(before.jwt_token_id);
    const key = FEED_KEY;
    const verifier = createVerifier({
      issuer: tokensmith.url,
      maxStaleness: 5_000,
      // What the verify README's "Upgrading from the previous release" gives such a verifier.
      fetch: (url: string, init?: RequestInit) =>
        fetch(url, String(url).includes("/v1alpha/revocations") ? { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${key}` } } : init),
    });
    verifiers.push(verifier);
    expect(await verifier.ready(5_000)).toBe(true);
    expect(await outcome(verifier.verify(before.jwt_token, anyRequest))).toBe(401);
    const live = await tokensmith.createToken();
    expect(await outcome(verifier.verify(live.jwt_token, anyRequest))).toBe("admin");
    await tokensmith.revoke(live.jwt_token_id);
    await waitFor("the previous release refuses a token revoked now", async () => (await outcome(verifier.verify(live.jwt_token, anyRequest))) === 401, 5_000, 10);
  });
});
