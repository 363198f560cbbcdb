import { freePort } from "@tokensmith/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, verifyRequest, VerifyError, type Caller, type Verifier } from "../src/index.js";
import { FEED_KEY, Tokensmith, outcome, type IssuedToken } from "./support/tokensmith.js";

/** The contract of `verify` and `verifyRequest`, against the real server. */
let tokensmith: Tokensmith;
let verifier: Verifier;
let open: IssuedToken;
let ordersOnly: IssuedToken;

beforeAll(async () => {
  tokensmith = await Tokensmith.start();
  verifier = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url, maxStaleness: 30_000 });
  open = await tokensmith.createToken();
  ordersOnly = await tokensmith.createToken({ jwt_token_endpoints: ["GET /api/orders/*"] });
});
afterAll(async () => {
  await verifier?.close();
  await tokensmith?.stop();
  await tokensmith?.database.drop();
});

const rejection = async (promise: Promise<unknown>): Promise<VerifyError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VerifyError);
  return error as VerifyError;
};

describe("verify", () => {
  it("accepts a whole Authorization header in any case, or a bare token, and describes the caller", async () => {
    for (const authorization of [`Bearer ${open.jwt_token}`, `bearer ${open.jwt_token}`, `BEARER  ${open.jwt_token} `, open.jwt_token]) {
      const caller = await verifier.verify(authorization, { method: "GET", path: "/api/orders/1" });
      expect(caller).toEqual({
        userId: expect.any(String),
        username: "admin",
        tokenId: open.jwt_token_id,
        endpoints: null,
        allowedIps: null,
        audience: null,
        expiresAt: new Date(open.expires_at),
      });
    }
    const limited = await verifier.verify(`Bearer ${ordersOnly.jwt_token}`, { method: "GET", path: "/api/orders/7?x=1" });
    expect(limited.endpoints).toEqual(["GET /api/orders/*"]);
    // Methods are case-sensitive: a framework that hands on a client's `get` may serve it otherwise.
    expect(await rejection(verifier.verify(`Bearer ${ordersOnly.jwt_token}`, { method: "get", path: "/api/orders/7" }))).toMatchObject({ status: 403 });
  });

  it("refuses a missing token with the bare challenge, and a forged or foreign one with invalid_token", async () => {
    for (const missing of [undefined, null, "", "Basic YWRtaW46eA==", "Bearer "]) {
      const error = await rejection(verifier.verify(missing, { method: "GET", path: "/" }));
      expect(error).toMatchObject({ status: 401, code: "invalid_token", wwwAuthenticate: 'Bearer realm="tokensmith"' });
    }
    const [header, payload] = open.jwt_token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), username: "root" })).toString("base64url");
    for (const forged of [`${header}.${payload}.${"A".repeat(86)}`, `${header}.${forgedPayload}.${open.jwt_token.split(".")[2]}`, "garbage", "a.b.c", "x".repeat(9000)]) {
      const error = await rejection(verifier.verify(`Bearer ${forged}`, { method: "GET", path: "/" }));
      expect(error).toMatchObject({ status: 401, code: "invalid_token" });
      expect(error.wwwAuthenticate).toMatch(/^Bearer realm="tokensmith", error="invalid_token"/);
    }
    // A genuine token of another issuer (same keys, other iss) is not ours to accept.
    const elsewhere = createVerifier({ feedKey: FEED_KEY, issuer: "http://tokens.elsewhere.example", baseUrl: tokensmith.url });
    try {
      expect((await rejection(elsewhere.verify(open.jwt_token, { method: "GET", path: "/" }))).status).toBe(401);
    } finally {
      await elsewhere.close();
    }
  });

  it("refuses a use-limited token, which only Tokensmith can count, saying so", async () => {
    const limited = await tokensmith.createToken({ jwt_token_max_uses: 5 });
    const error = await rejection(verifier.verify(`Bearer ${limited.jwt_token}`, { method: "GET", path: "/" }));
    expect(error).toMatchObject({ status: 401, code: "invalid_token" });
    expect(error.message).toMatch(/use-limited: only Tokensmith can count its uses/);
    expect(error.wwwAuthenticate).toContain('error_description="the token is use-limited');
  });

  it("refuses a DPoP-bound token (cnf) sent as Bearer, or without a proof, with the DPoP challenge (proofs: dpop.test.ts)", async () => {
    const bound = await tokensmith.createToken({ jwt_token_dpop_jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" });
    const asBearer = await rejection(verifier.verify(`Bearer ${bound.jwt_token}`, { method: "GET", path: "/" }));
    expect(asBearer).toMatchObject({ status: 401, code: "invalid_token" });
    expect(asBearer.wwwAuthenticate).toMatch(/^DPoP algs="[^"]+", error="invalid_token", error_description="The token is DPoP-bound: send it as Authorization: DPoP/);
    const noProof = await rejection(verifier.verify(`DPoP ${bound.jwt_token}`, { method: "GET", path: "/" }));
    expect(noProof).toMatchObject({ status: 401, code: "invalid_dpop_proof", message: "No DPoP proof was sent" });
  });

  it("holds a token with an allowlist to its addresses: IPv4 in either spelling, IPv6 by prefix, an unknown caller refused", async () => {
    const limited = await tokensmith.createToken({ jwt_token_allowed_ips: ["203.0.113.0/24", "2001:db8::/32"] });
    const token = `Bearer ${limited.jwt_token}`;
    for (const ip of ["203.0.113.9", "::ffff:203.0.113.9", "2001:db8:1::7"]) {
      expect((await verifier.verify(token, { method: "GET", path: "/", ip })).allowedIps, ip).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    }
    for (const ip of ["198.51.100.1", "2001:db9::1", "not an address", "", null, undefined]) {
      const error = await rejection(verifier.verify(token, { method: "GET", path: "/", ip }));
      expect(error, String(ip)).toMatchObject({ status: 403, code: "insufficient_scope" });
    }
    const withoutIp = await rejection(verifyRequest(verifier, new Request("http://api.example/x", { headers: { authorization: token } })));
    expect(withoutIp.message).toBe("the token may be used only from some addresses, and the caller's is unknown");
    const withIp = await verifyRequest(verifier, new Request("http://api.example/x", { headers: { authorization: token } }), { ip: "203.0.113.1" });
    expect(withIp.tokenId).toBe(limited.jwt_token_id);
    // A token without a list does not need the address.
    expect((await verifier.verify(`Bearer ${open.jwt_token}`, { method: "GET", path: "/" })).tokenId).toBe(open.jwt_token_id);
  });

  it("refuses requests outside the token's endpoints with insufficient_scope, and paths servers read differently", async () => {
    const token = `Bearer ${ordersOnly.jwt_token}`;
    for (const [method, path] of [
      ["POST", "/api/orders/1"],
      ["GET", "/api/users/1"],
      ["GET", "/api/orders/../users/1"],
      ["GET", "/api/orders/%2e%2e/users/1"],
      ["GET", "/api/orders/%2E%2E/%2e%2e/admin"],
      ["GET", "/api/orders%2F1"],
      ["GET", "/../api/orders/1"],
      ["GET", "/api/./orders//2"],
      ["GET", "/api/orders/..;/users/1"],
    ] as const) {
      const error = await rejection(verifier.verify(token, { method, path }));
      expect(error).toMatchObject({ status: 403, code: "insufficient_scope" });
      expect(error.wwwAuthenticate).toMatch(/^Bearer realm="tokensmith", error="insufficient_scope"/);
    }
    expect(await outcome(verifier.verify(token, { method: "GET", path: "/api/orders/2?next=/../admin" }))).toBe("admin");
  });

  it("check answers a seen token without a promise, and remembers nothing that would let another request through", async () => {
    const token = `Bearer ${ordersOnly.jwt_token}`;
    const unseen = await tokensmith.createToken({ jwt_token_endpoints: ["GET /api/orders/*"] });
    const first = verifier.check(`Bearer ${unseen.jwt_token}`, { method: "GET", path: "/api/orders/1" });
    expect(first).toBeInstanceOf(Promise);
    expect((await first).tokenId).toBe(unseen.jwt_token_id);
    const seen = verifier.check(`Bearer ${unseen.jwt_token}`, { method: "GET", path: "/api/orders/1" });
    expect(seen).not.toBeInstanceOf(Promise);
    expect((seen as Caller).tokenId).toBe(unseen.jwt_token_id);
    // The same token allowed a request a moment ago: another method or path is judged afresh.
    await verifier.verify(token, { method: "GET", path: "/api/orders/7" });
    for (const [method, path] of [["POST", "/api/orders/7"], ["GET", "/api/orders/../users/7"], ["GET", "/api/users/7"]] as const) {
      expect(() => verifier.check(token, { method, path })).toThrow(expect.objectContaining({ status: 403 }));
    }
    expect(await outcome(verifier.verify(token, { method: "GET", path: "/api/orders/7" }))).toBe("admin");
    // Seen tokens are found by the end of their signature: a token with the same signature and
    // other claims is not the seen one, and its signature fails.
    const [header, payload, signature] = ordersOnly.jwt_token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, jwt_token_endpoints: null })).toString("base64url");
    const forged = `Bearer ${header}.${widened}.${signature}`;
    expect((await rejection(Promise.resolve().then(() => verifier.check(forged, { method: "GET", path: "/api/users/7" })))).status).toBe(401);
    expect(await outcome(verifier.verify(token, { method: "GET", path: "/api/orders/7" }))).toBe("admin");
  });

  it("verifyRequest reads a fetch-API Request, and a refusal turns into a Response", async () => {
    const ok = new Request("http://api.local/api/orders/1", { headers: { authorization: `Bearer ${ordersOnly.jwt_token}` } });
    expect((await verifyRequest(verifier, ok)).tokenId).toBe(ordersOnly.jwt_token_id);
    const sneaky = new Request("http://api.local/api/orders/%2e%2e/admin", { headers: { authorization: `Bearer ${ordersOnly.jwt_token}` } });
    const refused = await rejection(verifyRequest(verifier, sneaky));
    expect(refused.status).toBe(403);
    const response = refused.toResponse();
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
    expect(await response.json()).toEqual({ error: "insufficient_scope", message: expect.any(String) });
    const anonymous = await rejection(verifyRequest(verifier, new Request("http://api.local/api/orders/1")));
    expect(anonymous.toResponse().status).toBe(401);
  });

  it("a seen token is answered from memory; status says how current the revocation data is", async () => {
    const before = verifier.status();
    expect(before).toMatchObject({ ready: true, fresh: true });
    expect(before.cachedTokens).toBeGreaterThan(0);
    expect(before.staleness).toBeLessThan(3000);
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) await verifier.verify(open.jwt_token, { method: "GET", path: "/api/orders/1" });
    const micros = ((performance.now() - started) * 1000) / 10_000;
    console.log(`verify of a seen token: ${micros.toFixed(2)} µs per call (mean of 10,000, in the test runner)`);
    // How fast is `pnpm bench`'s to report (packages/bench/src/verify.mjs), not a test's.
  });

  it("before the first snapshot: waits until startupWait after creation, then answers 503 at once", async () => {
    const nowhere = createVerifier({ feedKey: FEED_KEY, issuer: `http://127.0.0.1:${await freePort()}`, startupWait: 500 });
    try {
      let started = performance.now();
      expect((await rejection(nowhere.verify(open.jwt_token, { method: "GET", path: "/" }))).status).toBe(503);
      expect(performance.now() - started).toBeGreaterThanOrEqual(450);
      started = performance.now();
      expect((await rejection(nowhere.verify(open.jwt_token, { method: "GET", path: "/" }))).status).toBe(503);
      // Not the 500 ms wait again (a busy machine may take a while to refuse the connection).
      expect(performance.now() - started).toBeLessThan(400);
      expect(nowhere.status()).toMatchObject({ ready: false, fresh: false, staleness: Infinity });
    } finally {
      await nowhere.close();
    }
  });

  it("after close, verify answers 503 and nothing keeps running", async () => {
    const short = createVerifier({ feedKey: FEED_KEY, issuer: tokensmith.url });
    expect(await short.ready()).toBe(true);
    await short.close();
    expect((await rejection(short.verify(open.jwt_token, { method: "GET", path: "/" }))).status).toBe(503);
  });
});
