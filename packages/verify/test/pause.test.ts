import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, outcome, waitFor } from "./support/tokensmith.js";

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
