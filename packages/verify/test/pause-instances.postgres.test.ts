import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, fetchJson, outcome, waitFor } from "./support/tokensmith.js";

/** Two instances on one PostgreSQL database: a pause made on A is seen on B at once, and by a verifier following B. */
const ISSUER = "http://tokens.pause-instances.test";
let a: Tokensmith;
let b: Tokensmith;
let verifier: Verifier;
const anyRequest = { method: "GET", path: "/api/orders/1" };
const selfOn = async (server: Tokensmith, jwt: string) => (await fetchJson(`${server.url}/v1alpha/token/self`, "GET", `Bearer ${jwt}`)).status;

beforeAll(async () => {
  a = await Tokensmith.start({ PUBLIC_URL: ISSUER });
  b = await Tokensmith.start({ PUBLIC_URL: ISSUER }, a.database);
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: ISSUER, baseUrl: b.url, maxStaleness: 5_000 });
  expect(await verifier.ready()).toBe(true);
});
afterAll(async () => {
  await verifier?.close();
  await b?.stop();
  await a?.stop();
  await a?.database.drop();
});

describe("a pause across instances (PostgreSQL)", () => {
  it("paused through A, B refuses the token on its very next request (its row was cached), and accepts it once resumed through A", async () => {
    for (let round = 0; round < 3; round++) {
      const token = await a.createToken();
      expect(await selfOn(b, token.jwt_token)).toBe(200);
      expect((await a.api("POST", `/v1alpha/token/${token.jwt_token_id}/pause`)).status).toBe(200);
      expect(await selfOn(b, token.jwt_token)).toBe(401);
      await waitFor("the verifier following B refuses it", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 5_000, 10);
      expect((await a.api("POST", `/v1alpha/token/${token.jwt_token_id}/resume`)).status).toBe(200);
      expect(await selfOn(b, token.jwt_token)).toBe(200);
      await waitFor("the verifier following B accepts it again", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === "admin", 5_000, 10);
    }
  });
});
