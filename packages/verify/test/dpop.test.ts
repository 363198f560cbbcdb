import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify, { type FastifyInstance } from "fastify";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, verifyRequest, VerifyError, type Verifier } from "../src/index.js";
import { requireToken } from "../src/express.js";
import { requireToken as fastifyRequireToken } from "../src/fastify.js";
import { FEED_KEY, Tokensmith, type IssuedToken } from "./support/tokensmith.js";

/**
 * DPoP-bound tokens (RFC 9449) at an Express app guarded by @tokensmith/verify, driven by a real
 * client: oauth4webapi's DPoP() handle and protectedResourceRequest. Each refusal is made from what
 * the library sent, changed in flight by its own customFetch hook, so every proof is one it signed.
 */
const ALGS = "ES256 ES384 EdDSA Ed25519 PS256 RS256";
const PUBLIC_ORIGIN = "https://api.example.com";
const client: oauth.Client = { client_id: "verify-dpop-tests" };
let tokensmith: Tokensmith;
let verifier: Verifier;
let api: http.Server;
let fastify: FastifyInstance;
let apiUrl: string;
let keyA: CryptoKeyPair;
let keyB: CryptoKeyPair;
let jktA: string;

/** oauth4webapi's customFetch hook: the request it would send, to send (or change) ourselves. */
type CustomFetch = (url: string, init: RequestInit & { headers: Record<string, string> }) => Promise<Response>;
type LibraryFetch = NonNullable<oauth.ProtectedResourceRequestOptions[typeof oauth.customFetch]>;
type Call = { status: number; body?: any; challenge?: oauth.WWWAuthenticateChallenge };
/** One request through oauth4webapi to `url`; a WWW-Authenticate challenge it rejects with is returned, parsed. */
async function dpopCall(token: string, method: string, url: string, options: { key?: CryptoKeyPair; fetch?: CustomFetch; skew?: number } = {}): Promise<Call> {
  const DPoP = oauth.DPoP(options.skew === undefined ? client : { ...client, [oauth.clockSkew]: options.skew }, options.key ?? keyA);
  try {
    const response = await oauth.protectedResourceRequest(token, method, new URL(url), new Headers(), null, {
      DPoP,
      // The test app speaks plain HTTP on loopback; production is HTTPS.
      [oauth.allowInsecureRequests]: true,
      // Its init is a RequestInit (this test sends no bodies).
      ...(options.fetch ? { [oauth.customFetch]: options.fetch as LibraryFetch } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    return { status: error.status, challenge: error.cause[0] };
  }
}
const headersOf = (init: { headers: Record<string, string> }) => new Headers(init.headers);
const withAuthorization = (authorization: string): CustomFetch => (url, init) => fetch(url, { ...init, headers: { ...init.headers, authorization } });
const refusedWith = (call: Call, error: string) => {
  expect(call.status).toBe(401);
  expect(call.challenge?.scheme).toBe("dpop");
  expect(call.challenge?.parameters.error).toBe(error);
  expect(call.challenge?.parameters.algs).toBe(ALGS);
};
const at = (path: string) => `${apiUrl}${path}`;
const bound = (jkt = jktA): Promise<IssuedToken> => tokensmith.createToken({ jwt_token_dpop_jkt: jkt });

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url });
  keyA = await oauth.generateKeyPair("ES256");
  keyB = await oauth.generateKeyPair("EdDSA");
  jktA = await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", keyA.publicKey)) as JWK);
  const app = express();
  // Proofs name this API's public origin, whatever Host the request came with.
  app.use("/fixed", requireToken(verifier, { origin: PUBLIC_ORIGIN }), (req, res) => void res.json({ caller: req.tokensmith }));
  // No origin: the request's own protocol and Host.
  app.use(requireToken(verifier), (req, res) => void res.json({ caller: req.tokensmith }));
  api = await new Promise<http.Server>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => api?.close(resolve));
  await fastify?.close();
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

describe("@tokensmith/verify with DPoP-bound tokens (oauth4webapi)", () => {
  it("accepts a bound token with a proof by its key, on every request (a fresh proof each time)", async () => {
    const token = await bound();
    for (const path of ["/api/orders/1", "/api/orders/1", "/api/orders/2?x=1"]) {
      const call = await dpopCall(token.jwt_token, "GET", at(path));
      expect(call.status, path).toBe(200);
      expect(call.body.caller.tokenId).toBe(token.jwt_token_id);
    }
  });

  it("refuses the token without a proof, and sent as Bearer (with a proof beside it or not)", async () => {
    const { jwt_token } = await bound();
    const noProof = await fetch(at("/api/orders/1"), { headers: { authorization: `DPoP ${jwt_token}` } });
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get("www-authenticate")).toBe(`DPoP algs="${ALGS}", error="invalid_dpop_proof", error_description="No DPoP proof was sent"`);
    expect(await noProof.json()).toEqual({ error: "invalid_dpop_proof", message: "No DPoP proof was sent" });
    const bearer = await fetch(at("/api/orders/1"), { headers: { authorization: `Bearer ${jwt_token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP algs="[^"]+", error="invalid_token"/);
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { fetch: withAuthorization(`Bearer ${jwt_token}`) }), "invalid_token");
  });

  it("refuses a proof made for another method or another URL", async () => {
    const { jwt_token } = await bound();
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { fetch: (url, init) => fetch(url, { ...init, method: "DELETE" }) }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { fetch: (_url, init) => fetch(at("/api/orders/2"), init) }), "invalid_dpop_proof");
    expect((await dpopCall(jwt_token, "GET", at("/api/orders/1"))).status).toBe(200);
  });

  it("refuses a replayed proof, on the seen-token path too", async () => {
    const { jwt_token } = await bound();
    expect((await dpopCall(jwt_token, "GET", at("/api/orders/1"))).status).toBe(200); // the token is now seen
    const statuses: number[] = [];
    const twice: CustomFetch = async (url, init) => {
      statuses.push((await fetch(url, init)).status);
      return fetch(url, init);
    };
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { fetch: twice }), "invalid_dpop_proof");
    expect(statuses).toEqual([200]);
  });

  it("refuses a proof signed by another key, and one whose ath is another token's", async () => {
    const { jwt_token } = await bound();
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { key: keyB }), "invalid_token");
    const second = await bound();
    refusedWith(await dpopCall(second.jwt_token, "GET", at("/api/orders/1"), { fetch: withAuthorization(`DPoP ${jwt_token}`) }), "invalid_dpop_proof");
  });

  it("refuses a proof whose iat is outside the window (60 s), either way", async () => {
    const { jwt_token } = await bound();
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { skew: -90 }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", at("/api/orders/1"), { skew: 90 }), "invalid_dpop_proof");
    expect((await dpopCall(jwt_token, "GET", at("/api/orders/1"), { skew: -30 })).status).toBe(200);
  });

  it("refuses two DPoP headers", async () => {
    const { jwt_token } = await bound();
    const proofs: string[] = [];
    // Two proofs oauth4webapi made for this very request, sent together.
    const keep: CustomFetch = async (_url, init) => {
      proofs.push(headersOf(init).get("dpop")!);
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    await dpopCall(jwt_token, "GET", at("/api/orders/1"), { fetch: keep });
    await dpopCall(jwt_token, "GET", at("/api/orders/1"), { fetch: keep });
    const { port } = api.address() as AddressInfo;
    const answer = await new Promise<{ status: number; challenge: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/api/orders/1", headers: ["Host", `127.0.0.1:${port}`, "Authorization", `DPoP ${jwt_token}`, "DPoP", proofs[0]!, "DPoP", proofs[1]!] }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, challenge: res.headers["www-authenticate"] });
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer).toEqual({ status: 401, challenge: `DPoP algs="${ALGS}", error="invalid_dpop_proof", error_description="More than one DPoP header was sent"` });
  });

  it("unbound tokens still work as Bearer, and are refused with the DPoP scheme", async () => {
    const plain = await tokensmith.createToken();
    const bearer = await fetch(at("/api/orders/1"), { headers: { authorization: `Bearer ${plain.jwt_token}` } });
    expect(bearer.status).toBe(200);
    expect((await bearer.json()).caller.tokenId).toBe(plain.jwt_token_id);
    refusedWith(await dpopCall(plain.jwt_token, "GET", at("/api/orders/1")), "invalid_token");
  });

  it("with `origin`, the proof must name that origin, whatever Host the request carries", async () => {
    const { jwt_token } = await bound();
    const toLocal: CustomFetch = (url, init) => fetch(at(new URL(url).pathname), init);
    expect((await dpopCall(jwt_token, "GET", `${PUBLIC_ORIGIN}/fixed/orders/1`, { fetch: toLocal })).status).toBe(200);
    // A proof for this address (the Host the request really has) is for another API here.
    refusedWith(await dpopCall(jwt_token, "GET", at("/fixed/orders/1")), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", `https://other.example.com/fixed/orders/1`, { fetch: toLocal }), "invalid_dpop_proof");
  });

  it("Fastify: a bound token works with a proof, and a replay is refused", async () => {
    fastify = Fastify();
    fastify.get("/api/orders/:id", { preHandler: fastifyRequireToken(verifier) }, async (request) => ({ caller: request.tokensmith }));
    const url = await fastify.listen({ port: 0, host: "127.0.0.1" });
    const { jwt_token, jwt_token_id } = await bound();
    const ok = await dpopCall(jwt_token, "GET", `${url}/api/orders/1`);
    expect(ok.status).toBe(200);
    expect(ok.body.caller.tokenId).toBe(jwt_token_id);
    const twice: CustomFetch = async (target, init) => (await fetch(target, init), fetch(target, init));
    refusedWith(await dpopCall(jwt_token, "GET", `${url}/api/orders/1`, { fetch: twice }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", `${url}/api/orders/1`, { key: keyB }), "invalid_token");
  });

  it("verifyRequest (fetch API): the proof names request.url, or `origin` when given", async () => {
    const { jwt_token, jwt_token_id } = await bound();
    // The Request oauth4webapi sends, handed to verifyRequest instead of the network.
    const viaVerifyRequest =
      (origin?: string): CustomFetch =>
      async (url, init) => {
        const request = new Request(url, init);
        try {
          const caller = await verifyRequest(verifier, request, origin ? { origin } : {});
          return Response.json({ caller });
        } catch (error) {
          if (error instanceof VerifyError) return error.toResponse();
          throw error;
        }
      };
    const ok = await dpopCall(jwt_token, "GET", "https://api.example.com/api/orders/1", { fetch: viaVerifyRequest() });
    expect(ok.status).toBe(200);
    expect(ok.body.caller.tokenId).toBe(jwt_token_id);
    refusedWith(await dpopCall(jwt_token, "GET", "https://api.example.com/api/orders/1", { fetch: viaVerifyRequest("https://other.example.com") }), "invalid_dpop_proof");
    refusedWith(await dpopCall(jwt_token, "GET", "https://api.example.com/api/orders/1", { fetch: async (url, init) => (await viaVerifyRequest()(url, init), viaVerifyRequest()(url, init)) }), "invalid_dpop_proof");
  });

  it("a full replay store refuses new proofs (503) rather than forget one", async () => {
    const small = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, dpopProofCapacity: 1 });
    try {
      const app = express();
      app.use(requireToken(small), (req, res) => void res.json({ caller: req.tokensmith }));
      const server = await new Promise<http.Server>((resolve) => {
        const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
      });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { jwt_token } = await bound();
      expect((await dpopCall(jwt_token, "GET", `${base}/api/orders/1`)).status).toBe(200);
      const full = await dpopCall(jwt_token, "GET", `${base}/api/orders/1`);
      expect(full.status).toBe(503);
      await new Promise((resolve) => server.close(resolve));
    } finally {
      await small.close();
    }
  });
});
