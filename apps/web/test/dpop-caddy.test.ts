import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, type JWK } from "jose";
import { startCaddy, type Caddy } from "@tokensmith/testkit";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { dpopThroughProxy } from "./support/dpop-client.js";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { shippedProxyConfig } from "./support/shipped-proxy.js";

/**
 * A DPoP-bound token through a real Caddy, with the Caddyfile the docs show (deploy/caddy/Caddyfile,
 * its site address and upstreams filled in): forward_auth passes the client's DPoP header on by
 * itself, sets X-Forwarded-Method/-Uri and X-Forwarded-Proto/-Host (replacing a client's own, as
 * the client is no trusted proxy), and Tokensmith checks the proof oauth4webapi made against them.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
let tokensmith: RunningServer;
let api: http.Server;
let caddy: Caddy;
let key: CryptoKeyPair;
const seen: { method: string; url: string; user: string | undefined }[] = [];

beforeAll(async () => {
  tokensmith = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
  api = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, user: req.headers["x-tokensmith-user"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  caddy = await startCaddy(shippedProxyConfig("caddy", { tokensmith: new URL(tokensmith.url).host, api: `127.0.0.1:${(api.address() as AddressInfo).port}` }));
  key = await oauth.generateKeyPair("ES256");
});
afterAll(async () => {
  await caddy?.stop();
  api?.close();
  await tokensmith?.stop();
});

/** One request by oauth4webapi for `url` (Caddy's), by `key` unless another is named. */
const call = (token: string, method: string, url: string, options: { key?: CryptoKeyPair; fetch?: oauth.CustomFetch } = {}) =>
  dpopThroughProxy(token, method, url, options.key ?? key, options.fetch);
const refusedProof = { status: 401, challenge: { scheme: "dpop", parameters: { error: "invalid_dpop_proof" } } };

async function boundToken(): Promise<string> {
  const jkt = await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", key.publicKey)) as JWK);
  const made = await request(`${tokensmith.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "caddy", jwt_token_life: "1 hour", jwt_token_dpop_jkt: jkt } });
  expect(made.status).toBe(201);
  return made.body.jwt_token as string;
}

describe("a DPoP-bound token behind Caddy's forward_auth", () => {
  it("passes with a proof by its key for this request; refused as Bearer, with another key, replayed, or for another method or URL", async () => {
    const token = await boundToken();
    expect(await call(token, "GET", `${caddy.url}/api/orders/1?page=2`)).toEqual({ status: 200 });
    expect(seen.at(-1)).toEqual({ method: "GET", url: "/api/orders/1?page=2", user: "admin" });
    const calls = seen.length;

    // The token alone: as Bearer, and with the DPoP scheme but no proof.
    const bearer = await fetch(`${caddy.url}/api/orders/1`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP algs="[^"]+", error="invalid_token"/);
    const noProof = await fetch(`${caddy.url}/api/orders/1`, { headers: { authorization: `DPoP ${token}` } });
    expect(noProof.status).toBe(401);
    expect(noProof.headers.get("www-authenticate")).toMatch(/^DPoP algs="[^"]+", error="invalid_dpop_proof"/);

    expect(await call(token, "GET", `${caddy.url}/api/orders/1`, { key: await oauth.generateKeyPair("ES256") })).toMatchObject({
      status: 401,
      challenge: { scheme: "dpop", parameters: { error: "invalid_token" } },
    });

    const statuses: number[] = [];
    const twice: oauth.CustomFetch = async (url, init) => {
      statuses.push((await fetch(url, init)).status);
      return fetch(url, init);
    };
    expect(await call(token, "GET", `${caddy.url}/api/orders/2`, { fetch: twice })).toMatchObject(refusedProof);
    expect(statuses).toEqual([200]);

    // The proof names GET /api/orders/3; the request Caddy forwards is another.
    const otherPath: oauth.CustomFetch = (url, init) => fetch(url.replace("/api/orders/3", "/api/users/3"), init);
    expect(await call(token, "GET", `${caddy.url}/api/orders/3`, { fetch: otherPath })).toMatchObject(refusedProof);
    const otherMethod: oauth.CustomFetch = (url, init) => fetch(url, { ...init, method: "DELETE" });
    expect(await call(token, "GET", `${caddy.url}/api/orders/4`, { fetch: otherMethod })).toMatchObject(refusedProof);
    // Only the honest call and the first of the replayed pair reached the API.
    expect(seen.length).toBe(calls + 1);
  });

  it("a proof for another origin is refused, whatever X-Forwarded-Host/-Proto the client sends: Caddy sets its own", async () => {
    const token = await boundToken();
    const before = seen.length;
    // A proof made for https://api-a.example.com (another API, one this token also opens), sent to
    // this Caddy with headers naming that origin.
    const dressed: oauth.CustomFetch = (url, init) => {
      const headers = new Headers(init.headers as HeadersInit);
      headers.set("x-forwarded-host", "api-a.example.com");
      headers.set("x-forwarded-proto", "https");
      return fetch(url.replace("https://api-a.example.com", caddy.url), { ...init, headers });
    };
    expect(await call(token, "GET", "https://api-a.example.com/api/orders/5", { fetch: dressed })).toMatchObject(refusedProof);
    expect(seen.length).toBe(before);
    // The same headers on an honest proof change nothing: Caddy replaced them.
    const honest: oauth.CustomFetch = (url, init) => {
      const headers = new Headers(init.headers as HeadersInit);
      headers.set("x-forwarded-host", "api-a.example.com");
      headers.set("x-forwarded-proto", "https");
      return fetch(url, { ...init, headers });
    };
    expect(await call(token, "GET", `${caddy.url}/api/orders/6`, { fetch: honest })).toEqual({ status: 200 });
    expect(seen.length).toBe(before + 1);
  });

  it("a captured request replayed with another Host never reaches the API: the site matches its host, and the proof was spent", async () => {
    const token = await boundToken();
    let captured: Headers | undefined;
    const capture: oauth.CustomFetch = (url, init) => {
      captured = new Headers(init.headers as HeadersInit);
      return fetch(url, init);
    };
    expect(await call(token, "GET", `${caddy.url}/api/orders/7`, { fetch: capture })).toEqual({ status: 200 });
    const before = seen.length;
    const replay = (host: string) =>
      rawRequest(caddy.url, buildRequest("GET /api/orders/7 HTTP/1.1", [["Host", host], ["Authorization", captured!.get("authorization")!], ["DPoP", captured!.get("dpop")!]]));
    const sameHost = await replay(`127.0.0.1:${caddy.port}`);
    expect(sameHost.status).toBe(401);
    expect(sameHost.headers["www-authenticate"]).toMatch(/error="invalid_dpop_proof", error_description="This DPoP proof was used before"/);
    // No site serves another host: Caddy answers an empty 200 of its own, and asks nobody.
    for (const host of [`localhost:${caddy.port}`, "api-a.example.com"]) expect(await replay(host), host).toMatchObject({ status: 200, body: "" });
    expect(seen.length).toBe(before);
  });
});
