import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, fetchJson, outcome, waitFor } from "./support/tokensmith.js";

/** A pause reaches verifiers through the feed (an entry each for the pause and the resume). */
const anyRequest = { method: "GET", path: "/api/orders/1" };
let tokensmith: Tokensmith;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
});
afterAll(async () => {
  await Promise.all(verifiers.map((verifier) => verifier.close()));
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

const follow = async () => {
  const verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: 5_000 });
  verifiers.push(verifier);
  expect(await verifier.ready(5_000)).toBe(true);
  return verifier;
};

describe("a paused token and @tokensmith/verify", () => {
  it("a follower refuses a token once paused and accepts it again once resumed; toggling adds no revocation", async () => {
    const verifier = await follow();
    const token = await tokensmith.createToken();
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
    expect((await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/pause`)).status).toBe(200);
    await waitFor("the verifier refuses the paused token", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 5_000, 10);
    expect((await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/resume`)).status).toBe(200);
    await waitFor("the verifier accepts the resumed token", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === "admin", 5_000, 10);
    expect(verifier.status().revokedTokens).toBe(0);
  });

  it("a verifier that starts after a pause refuses the token, and one after its resume accepts it", async () => {
    const token = await tokensmith.createToken();
    await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/pause`);
    expect(await outcome((await follow()).verify(token.jwt_token, anyRequest))).toBe(401);
    await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/resume`);
    expect(await outcome((await follow()).verify(token.jwt_token, anyRequest))).toBe("admin");
  });
});

type PreviousVerifier = { ready(ms?: number): Promise<boolean>; verify(token: string, request: object): Promise<{ username: string }>; close(): Promise<void> };
const previous = (await import("./fixtures/previous-release/index.js" as string)) as { createVerifier(options: Record<string, unknown>): PreviousVerifier };

/** Every server-side check at once: GET /self, forward auth as nginx asks, introspection. */
async function serverChecks(url: string, jwt: string) {
  const self = await fetchJson(`${url}/v1alpha/token/self`, "GET", `Bearer ${jwt}`);
  const forward = await fetch(`${url}/v1alpha/forward-auth`, { headers: { authorization: `Bearer ${jwt}`, "x-original-method": "GET", "x-original-uri": "/api/orders/1" } });
  const introspected = await fetchJson(`${url}/v1alpha/introspect`, "POST", `Basic ${Buffer.from("admin:admin-password-1").toString("base64")}`, { token: jwt });
  return [self.status, forward.status, introspected.body.active];
}

describe("a paused token everywhere else", () => {
  it("is refused by GET /self, forward auth and introspection, also after a restart, and works again once resumed", async () => {
    const token = await tokensmith.createToken();
    expect(await serverChecks(tokensmith.url, token.jwt_token)).toEqual([200, 200, true]);
    await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/pause`);
    expect(await serverChecks(tokensmith.url, token.jwt_token)).toEqual([401, 401, false]);
    await tokensmith.stop();
    await tokensmith.restart();
    expect(await serverChecks(tokensmith.url, token.jwt_token)).toEqual([401, 401, false]);
    await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/resume`);
    expect(await serverChecks(tokensmith.url, token.jwt_token)).toEqual([200, 200, true]);
  });

  it("a verifier of the previous release refuses a paused token, and keeps refusing it after the resume (closed, not open)", async () => {
    const verifier = previous.createVerifier({
      issuer: tokensmith.url,
      maxStaleness: 5_000,
      fetch: (url: string, init?: RequestInit) =>
        fetch(url, String(url).includes("/v1alpha/revocations") ? { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${FEED_KEY}` } } : init),
    });
    verifiers.push(verifier as unknown as Verifier);
    expect(await verifier.ready(5_000)).toBe(true);
    const token = await tokensmith.createToken();
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
    await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/pause`);
    await waitFor("the previous release refuses the paused token", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 5_000, 10);
    await tokensmith.api("POST", `/v1alpha/token/${token.jwt_token_id}/resume`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe(401);
  });
});
