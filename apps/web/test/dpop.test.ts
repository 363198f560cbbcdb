import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, decodeJwt, type JWK } from "jose";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * DPoP-bound tokens (RFC 9449) as a real client makes them: oauth4webapi's DPoP() handle and
 * protectedResourceRequest, as its documentation shows. Each refusal is made from what the library
 * sent, changed in flight by its own customFetch hook (another method, URL, token, a second send),
 * so every proof in these tests is one the library signed.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
const client: oauth.Client = { client_id: "dpop-tests" };
let server: RunningServer;
let keyA: CryptoKeyPair;
let keyB: CryptoKeyPair;
let jktA: string;

const jktOf = async (pair: CryptoKeyPair) => calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", pair.publicKey)) as JWK);
const at = (path: string) => `${server.url}${path}`;

type Call = { status: number; body?: any; challenge?: oauth.WWWAuthenticateChallenge };
/** One request through oauth4webapi; a WWW-Authenticate challenge it rejects with is returned, parsed. */
async function dpopCall(
  token: string,
  method: string,
  path: string,
  options: { key?: CryptoKeyPair; fetch?: oauth.CustomFetch; skew?: number; body?: string; headers?: Record<string, string> } = {},
): Promise<Call> {
  const DPoP = oauth.DPoP(options.skew === undefined ? client : { ...client, [oauth.clockSkew]: options.skew }, options.key ?? keyA);
  try {
    const response = await oauth.protectedResourceRequest(token, method, new URL(at(path)), new Headers(options.headers), options.body ?? null, {
      DPoP,
      // The test server speaks plain HTTP on loopback; production is HTTPS.
      [oauth.allowInsecureRequests]: true,
      ...(options.fetch ? { [oauth.customFetch]: options.fetch } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    return { status: error.status, challenge: error.cause[0] };
  }
}
const headersOf = (init: { headers?: unknown }) => new Headers(init.headers as HeadersInit);
const refusedWith = (call: Call, error: string) => {
  expect(call.status).toBe(401);
  expect(call.challenge?.scheme).toBe("dpop");
  expect(call.challenge?.parameters.error).toBe(error);
  expect(call.challenge?.parameters.algs).toBe("ES256 ES384 EdDSA Ed25519 PS256 RS256");
};

async function boundToken(jkt: string | null = jktA, auth = ADMIN): Promise<{ jwt_token: string; jwt_token_id: string; jwt_token_dpop_jkt: string | null }> {
  const made = await request(at("/v1alpha/token/"), {
    method: "POST",
    auth,
    body: { jwt_token_description: "dpop", jwt_token_life: "1 hour", ...(jkt ? { jwt_token_dpop_jkt: jkt } : {}) },
  });
  expect(made.status).toBe(201);
  return made.body;
}

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
  keyA = await oauth.generateKeyPair("ES256");
  keyB = await oauth.generateKeyPair("EdDSA");
  jktA = await jktOf(keyA);
});
afterAll(async () => {
  await server?.stop();
});

describe("a DPoP-bound token with oauth4webapi", () => {
  it("is created bound (cnf.jkt in the token, jwt_token_dpop_jkt in the answers) and works with a proof by its key, over REST and tRPC", async () => {
    const token = await boundToken();
    expect(token.jwt_token_dpop_jkt).toBe(jktA);
    expect(decodeJwt(token.jwt_token).cnf).toEqual({ jkt: jktA });
    const self = await dpopCall(token.jwt_token, "GET", "/v1alpha/token/self");
    expect(self.status).toBe(200);
    expect(self.body.jwt_token_dpop_jkt).toBe(jktA);
    const trpc = await dpopCall(token.jwt_token, "GET", "/api/trpc/token.self");
    expect(trpc.status).toBe(200);
    expect(trpc.body.result.data.dpopJkt).toBe(jktA);
  });

  it("is refused alone: no proof, or sent as Bearer (RFC 9449 §7.1), on REST and tRPC", async () => {
    const { jwt_token } = await boundToken();
    for (const path of ["/v1alpha/token/self", "/api/trpc/token.self"]) {
      const noProof = await fetch(at(path), { headers: { authorization: `DPoP ${jwt_token}` } });
      expect(noProof.status).toBe(401);
      expect(noProof.headers.get("www-authenticate")).toBe('DPoP algs="ES256 ES384 EdDSA Ed25519 PS256 RS256", error="invalid_dpop_proof", error_description="No DPoP proof was sent"');
      const bearer = await fetch(at(path), { headers: { authorization: `Bearer ${jwt_token}` } });
      expect(bearer.status).toBe(401);
      expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP algs="[^"]+", error="invalid_token"/);
    }
    // And as Bearer with a valid proof beside it: the scheme is the client's promise, kept or refused.
    const proofBeside = await dpopCall(jwt_token, "GET", "/v1alpha/token/self", {
      fetch: (url, init) => fetch(url, { ...init, headers: { ...Object.fromEntries(headersOf(init)), authorization: `Bearer ${jwt_token}` } }),
    });
    refusedWith(proofBeside, "invalid_token");
  });

  it("refuses a proof made for another method or another URL", async () => {
    const { jwt_token, jwt_token_id } = await boundToken();
    // Signed for GET /v1alpha/token/self, sent as DELETE (which would revoke the token).
    const otherMethod = await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { fetch: (url, init) => fetch(url, { ...init, method: "DELETE" }) });
    refusedWith(otherMethod, "invalid_dpop_proof");
    const otherUrl = await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { fetch: (_url, init) => fetch(at(`/v1alpha/token/${jwt_token_id}`), init) });
    refusedWith(otherUrl, "invalid_dpop_proof");
    expect((await dpopCall(jwt_token, "GET", "/v1alpha/token/self")).status).toBe(200);
  });

  it("refuses a replayed proof", async () => {
    const { jwt_token } = await boundToken();
    const statuses: number[] = [];
    const twice: oauth.CustomFetch = async (url, init) => {
      statuses.push((await fetch(url, init)).status);
      return fetch(url, init);
    };
    refusedWith(await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { fetch: twice }), "invalid_dpop_proof");
    expect(statuses).toEqual([200]);
  });

  it("refuses a proof signed by another key, and one whose ath is another token's", async () => {
    const { jwt_token } = await boundToken();
    const otherKey = await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { key: keyB });
    refusedWith(otherKey, "invalid_token");
    const second = await boundToken();
    const swapped = await dpopCall(second.jwt_token, "GET", "/v1alpha/token/self", {
      fetch: (url, init) => fetch(url, { ...init, headers: { ...Object.fromEntries(headersOf(init)), authorization: `DPoP ${jwt_token}` } }),
    });
    refusedWith(swapped, "invalid_dpop_proof");
  });

  it("refuses a proof whose iat is outside DPOP_PROOF_WINDOW (60 s by default), either way", async () => {
    const { jwt_token } = await boundToken();
    refusedWith(await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { skew: -90 }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { skew: 90 }), "invalid_dpop_proof");
    expect((await dpopCall(jwt_token, "GET", "/v1alpha/token/self", { skew: -30 })).status).toBe(200);
  });

  it("refuses the DPoP scheme with a token that is not bound", async () => {
    const plain = await boundToken(null);
    expect(plain.jwt_token_dpop_jkt).toBeNull();
    refusedWith(await dpopCall(plain.jwt_token, "GET", "/v1alpha/token/self"), "invalid_token");
    expect((await request(at("/v1alpha/token/self"), { auth: `Bearer ${plain.jwt_token}` })).status).toBe(200);
  });
});

describe("binding at create and rotate", () => {
  it("a create request that carries a DPoP proof binds the new token to the proof's key", async () => {
    const created = await dpopCall("unused", "POST", "/v1alpha/token/", {
      key: keyB,
      body: JSON.stringify({ jwt_token_description: "by proof", jwt_token_life: "1 hour" }),
      headers: { "content-type": "application/json" },
      // The caller signs in with a password; the proof oauth4webapi made rides along.
      fetch: (url, init) => fetch(url, { ...init, headers: { ...Object.fromEntries(headersOf(init)), authorization: ADMIN } }),
    });
    expect(created.status).toBe(201);
    expect(created.body.jwt_token_dpop_jkt).toBe(await jktOf(keyB));
    expect((await dpopCall(created.body.jwt_token, "GET", "/v1alpha/token/self", { key: keyB })).status).toBe(200);
  });

  it("a token made by a bound token is bound to the same key; rotation keeps the binding", async () => {
    const parent = await boundToken();
    const child = await dpopCall(parent.jwt_token, "POST", "/v1alpha/token/", {
      body: JSON.stringify({ jwt_token_description: "child", jwt_token_life: "10 minutes" }),
      headers: { "content-type": "application/json" },
    });
    expect(child.status).toBe(201);
    expect(child.body.jwt_token_dpop_jkt).toBe(jktA);
    expect((await request(at("/v1alpha/token/self"), { auth: `Bearer ${child.body.jwt_token}` })).status).toBe(401);
    const rotated = await request(at(`/v1alpha/token/${parent.jwt_token_id}/rotate`), { method: "POST", auth: ADMIN });
    expect(rotated.status).toBe(201);
    expect(rotated.body.jwt_token_dpop_jkt).toBe(jktA);
    expect(decodeJwt(rotated.body.jwt_token).cnf).toEqual({ jkt: jktA });
  });

  it("refuses a jwt_token_dpop_jkt that is not a thumbprint", async () => {
    for (const jkt of ["short", `${jktA}=`, 42, null]) {
      const made = await request(at("/v1alpha/token/"), { method: "POST", auth: ADMIN, body: { jwt_token_description: "x", jwt_token_life: "1 hour", jwt_token_dpop_jkt: jkt } });
      expect(made.status).toBe(400);
      expect(made.body.errors[0].field).toBe("jwt_token_dpop_jkt");
    }
  });
});

describe("introspection and forward auth", () => {
  it("introspection reports a bound token as DPoP with its cnf (the resource server checks the proof)", async () => {
    const { jwt_token } = await boundToken();
    const form = new URLSearchParams({ token: jwt_token }).toString();
    const answer = await request(at("/v1alpha/introspect"), { method: "POST", auth: ADMIN, rawBody: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(answer.body).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: jktA } });
  });

  it("forward auth judges the proof against the original method and URI the proxy names", async () => {
    const { jwt_token } = await boundToken();
    // What a proxy does: the client's request, with its DPoP header, becomes a sub-request.
    const viaForwardAuth =
      (method = "", uri = ""): oauth.CustomFetch =>
      (url, init) => {
        const target = new URL(url);
        const headers = { ...Object.fromEntries(headersOf(init)), "x-original-method": method || init.method!, "x-original-uri": uri || target.pathname + target.search };
        return fetch(at("/v1alpha/forward-auth"), { method: "GET", headers });
      };
    expect((await dpopCall(jwt_token, "GET", "/api/orders/1?x=1", { fetch: viaForwardAuth() })).status).toBe(200);
    refusedWith(await dpopCall(jwt_token, "GET", "/api/orders/1", { fetch: viaForwardAuth("DELETE") }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", "/api/orders/1", { fetch: viaForwardAuth("", "/api/orders/2") }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", "/api/orders/1", { key: keyB, fetch: viaForwardAuth() }), "invalid_token");
    const bearer = await fetch(at("/v1alpha/forward-auth"), { headers: { authorization: `Bearer ${jwt_token}`, "x-original-method": "GET", "x-original-uri": "/api/orders/1" } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP algs=.*error="invalid_token"/);
  });
});
