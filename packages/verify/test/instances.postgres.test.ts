import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, fetchJson, outcome, waitFor } from "./support/tokensmith.js";

/** Two instances on one PostgreSQL database: a verifier following A hears of a revocation or a pause made on B. */
const ISSUER = "http://tokens.instances.test";
let a: Tokensmith;
let b: Tokensmith;
let verifier: Verifier;
const anyRequest = { method: "GET", path: "/api/orders/1" };
const selfOn = async (server: Tokensmith, jwt: string) => (await fetchJson(`${server.url}/v1alpha/token/self`, "GET", `Bearer ${jwt}`)).status;

beforeAll(async () => {
  // One issuer for both (as behind a load balancer); the verifier reaches A at its own address.
  a = await Tokensmith.start({ PUBLIC_URL: ISSUER });
  b = await Tokensmith.start({ PUBLIC_URL: ISSUER }, a.database);
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: ISSUER, baseUrl: a.url, maxStaleness: 5_000 });
  expect(await verifier.ready()).toBe(true);
});
afterAll(async () => {
  await verifier?.close();
  await b?.stop();
  await a?.stop();
  await a?.database.drop();
});

describe("several instances (PostgreSQL)", () => {
  it("a token revoked on B is refused by the verifier following A", async () => {
    const figures: number[] = [];
    const answered: number[] = [];
    for (let i = 0; i < 5; i++) {
      const token = await b.createToken();
      expect(await outcome(verifier.verify(token.jwt_token, anyRequest))).toBe("admin");
      const started = performance.now();
      await b.revoke(token.jwt_token_id);
      answered.push(performance.now() - started);
      await waitFor("the revocation on B reaches the verifier following A", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 5_000, 1);
      figures.push(performance.now() - started);
    }
    console.log(`revoked on B → refused by the verifier following A: ${figures.map((ms) => ms.toFixed(1)).join(", ")} ms (B answered the DELETE after ${answered.map((ms) => ms.toFixed(1)).join(", ")} ms)`);
  });

  it("paused through B, A refuses the token on its very next request (its row was cached), and so does the verifier following A; resumed through B, both accept it", async () => {
    for (let round = 0; round < 3; round++) {
      const token = await b.createToken();
      expect(await selfOn(a, token.jwt_token)).toBe(200);
      expect((await b.api("POST", `/v1alpha/token/${token.jwt_token_id}/pause`)).status).toBe(200);
      expect(await selfOn(a, token.jwt_token)).toBe(401);
      await waitFor("the verifier following A refuses it", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === 401, 5_000, 10);
      expect((await b.api("POST", `/v1alpha/token/${token.jwt_token_id}/resume`)).status).toBe(200);
      expect(await selfOn(a, token.jwt_token)).toBe(200);
      await waitFor("the verifier following A accepts it again", async () => (await outcome(verifier.verify(token.jwt_token, anyRequest))) === "admin", 5_000, 10);
    }
  });
});
