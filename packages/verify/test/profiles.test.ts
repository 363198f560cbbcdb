import { decodeProtectedHeader, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, VerifyError } from "../src/index.js";
import { FEED_KEY, Tokensmith, type IssuedToken } from "./support/tokensmith.js";

/**
 * Audiences and both token profiles, through one server restarted with JWT_PROFILE=rfc9068 on the
 * same database and issuer URL: a verifier accepts the tokens of either profile, and its
 * `audience` option refuses a token meant for another API or for none.
 */
const API = "https://api.example.com";
let tokensmith: Tokensmith;
let plain: IssuedToken;
let forApi: IssuedToken;
let forOther: IssuedToken;
let profiled: IssuedToken;

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  plain = await tokensmith.createToken();
  forApi = await tokensmith.createToken({ jwt_token_audience: [API, "urn:example:billing"] });
  forOther = await tokensmith.createToken({ jwt_token_audience: "https://other.example.com" });
  await tokensmith.stop();
  await tokensmith.restart({ JWT_PROFILE: "rfc9068", DEFAULT_AUDIENCE: API });
  profiled = await tokensmith.createToken();
}, 120_000);
afterAll(async () => {
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof VerifyError ? { status: error.status, code: error.code, message: error.message } : error),
  );

describe("verify: audiences and profiles", () => {
  it("the rfc9068 token is at+jwt with client_id and the default audience; the earlier ones are unchanged", () => {
    expect(decodeProtectedHeader(profiled.jwt_token).typ).toBe("at+jwt");
    expect(decodeJwt(profiled.jwt_token)).toMatchObject({ aud: API, client_id: profiled.jwt_token_id, jti: profiled.jwt_token_id });
    expect(decodeProtectedHeader(plain.jwt_token).typ).toBe("JWT");
    expect(decodeJwt(plain.jwt_token).aud).toBeUndefined();
    expect(decodeJwt(forApi.jwt_token).aud).toEqual([API, "urn:example:billing"]);
  });

  it("without `audience`, accepts the tokens of both profiles and reports each one's audience", async () => {
    const verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url });
    try {
      const request = { method: "GET", path: "/api/orders/1" };
      expect((await verifier.verify(plain.jwt_token, request)).audience).toBeNull();
      expect((await verifier.verify(forApi.jwt_token, request)).audience).toEqual([API, "urn:example:billing"]);
      expect((await verifier.verify(profiled.jwt_token, request)).audience).toEqual([API]);
    } finally {
      await verifier.close();
    }
  });

  it("with `audience`, accepts only tokens that name it, of either profile", async () => {
    const verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, audience: API });
    try {
      const request = { method: "GET", path: "/" };
      expect((await verifier.verify(forApi.jwt_token, request)).tokenId).toBe(forApi.jwt_token_id);
      expect((await verifier.verify(profiled.jwt_token, request)).tokenId).toBe(profiled.jwt_token_id);
      for (const token of [plain, forOther]) {
        expect(await refusal(verifier.verify(token.jwt_token, request))).toEqual({ status: 401, code: "invalid_token", message: "the token is not valid" });
      }
    } finally {
      await verifier.close();
    }
  });

  it("refuses an `audience` option that is not an audience", () => {
    for (const audience of ["api", "https://api.example.com#x", [], Array.from({ length: 11 }, (_, i) => `urn:example:${i}`)]) {
      expect(() => createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, audience: audience as string[] })).toThrow(/`audience`/);
    }
  });
});
