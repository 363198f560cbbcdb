import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, type JWK } from "jose";
import { startNginx, type Nginx } from "@tokensmith/testkit";
import { dpopThroughProxy } from "./support/dpop-client.js";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { shippedProxyConfig } from "./support/shipped-proxy.js";

/**
 * A DPoP-bound token through a real nginx, with the configuration the docs show
 * (deploy/nginx/forward-auth.conf): nginx passes the client's DPoP header, the original method and
 * URI and the host it addressed to forward auth, which checks the proof oauth4webapi made.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
let tokensmith: RunningServer;
let api: http.Server;
let nginx: Nginx;
let pinned: Nginx;
let key: CryptoKeyPair;
const seen: { url: string; user: string | undefined }[] = [];

beforeAll(async () => {
  tokensmith = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
  api = http.createServer((req, res) => {
    seen.push({ url: req.url!, user: req.headers["x-tokensmith-user"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const config = shippedProxyConfig("nginx", { tokensmith: new URL(tokensmith.url).host, api: `127.0.0.1:${(api.address() as AddressInfo).port}` });
  nginx = await startNginx(config);
  // The same, with the API's origin named in the forward-auth URL (the proxy's configuration).
  pinned = await startNginx(config.replace("proxy_pass http://tokensmith/v1alpha/forward-auth;", "proxy_pass http://tokensmith/v1alpha/forward-auth?origin=http://127.0.0.1:{{port}};"));
  key = await oauth.generateKeyPair("ES256");
});
afterAll(async () => {
  nginx?.stop();
  pinned?.stop();
  api?.close();
  await tokensmith?.stop();
});

const call = (token: string, path: string, options: { key?: CryptoKeyPair; fetch?: oauth.CustomFetch } = {}) =>
  dpopThroughProxy(token, "GET", `${nginx.url}${path}`, options.key ?? key, options.fetch);

describe("a DPoP-bound token behind nginx", () => {
  it("passes with a proof by its key; refused as Bearer, with another key, replayed, or for another path", async () => {
    const jkt = await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", key.publicKey)) as JWK);
    const made = await request(`${tokensmith.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "nginx", jwt_token_life: "1 hour", jwt_token_dpop_jkt: jkt } });
    const token = made.body.jwt_token as string;
    expect((await call(token, "/api/orders/1?page=2")).status).toBe(200);
    expect(seen.at(-1)).toEqual({ url: "/api/orders/1?page=2", user: "admin" });
    const calls = seen.length;

    const bearer = await fetch(`${nginx.url}/api/orders/1`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toMatch(/^DPoP algs="[^"]+", error="invalid_token"/);

    const otherKey = await call(token, "/api/orders/1", { key: await oauth.generateKeyPair("ES256") });
    expect(otherKey).toMatchObject({ status: 401, challenge: { scheme: "dpop", parameters: { error: "invalid_token" } } });

    const statuses: number[] = [];
    const twice: oauth.CustomFetch = async (url, init) => {
      statuses.push((await fetch(url, init)).status);
      return fetch(url, init);
    };
    expect(await call(token, "/api/orders/2", { fetch: twice })).toMatchObject({ status: 401, challenge: { parameters: { error: "invalid_dpop_proof" } } });
    expect(statuses).toEqual([200]);

    const otherPath = await call(token, "/api/orders/3", { fetch: (url, init) => fetch(url.replace("/api/orders/3", "/api/users/3"), init) });
    expect(otherPath).toMatchObject({ status: 401, challenge: { parameters: { error: "invalid_dpop_proof" } } });
    // Only the honest call and the first of the replayed pair reached the API.
    expect(seen.length).toBe(calls + 1);
  });
});

describe("the origin a proof names, behind an nginx server that answers any Host", () => {
  it("a proof for another API's origin passes when the client's Host names it; with ?origin= in the forward-auth URL it is refused", async () => {
    const jkt = await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", key.publicKey)) as JWK);
    const made = await request(`${tokensmith.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "origin", jwt_token_life: "1 hour", jwt_token_dpop_jkt: jkt } });
    const token = made.body.jwt_token as string;
    // A proof made for http://api-a.example.com (an API whose own verifier does not share this
    // replay store), sent to this nginx with that Host: the shipped server block answers any Host.
    const toProxy = (proxy: Nginx): oauth.CustomFetch => async (url, init) => {
      const headers = new Headers(init.headers as HeadersInit);
      const sent = await rawRequest(proxy.url, buildRequest(`GET ${new URL(url).pathname} HTTP/1.1`, [["Host", "api-a.example.com"], ["Authorization", headers.get("authorization")!], ["DPoP", headers.get("dpop")!]]));
      return new Response(null, { status: sent.status!, headers: Object.entries(sent.headers).filter(([name]) => name === "www-authenticate") });
    };
    const before = seen.length;
    expect((await dpopThroughProxy(token, "GET", "http://api-a.example.com/api/orders/9", key, toProxy(nginx))).status).toBe(200);
    expect(seen.length).toBe(before + 1);
    expect(await dpopThroughProxy(token, "GET", "http://api-a.example.com/api/orders/10", key, toProxy(pinned))).toMatchObject({
      status: 401,
      challenge: { scheme: "dpop", parameters: { error: "invalid_dpop_proof" } },
    });
    expect(seen.length).toBe(before + 1);
    // The proof for the pinned origin passes, whatever Host the client sends.
    const pinnedOrigin = `http://127.0.0.1:${new URL(pinned.url).port}`;
    expect((await dpopThroughProxy(token, "GET", `${pinnedOrigin}/api/orders/11`, key, toProxy(pinned))).status).toBe(200);
    expect(seen.at(-1)).toEqual({ url: "/api/orders/11", user: "admin" });
  });

  it("an origin parameter that is not one http(s) origin is the configuration's fault: 403 naming it", async () => {
    const made = await request(`${tokensmith.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "plain", jwt_token_life: "1 hour" } });
    const ask = (query: string) =>
      fetch(`${tokensmith.url}/v1alpha/forward-auth?${query}`, {
        headers: { authorization: `Bearer ${made.body.jwt_token}`, "x-original-method": "GET", "x-original-uri": "/api/orders/1", "x-forwarded-for": "127.0.0.1" },
      });
    for (const query of ["origin=https://api.example.com/api", "origin=ftp://api.example.com", "origin=https://api.example.com&origin=https://b.example.com", "origin=api.example.com", "origin=https://api.example.com?x=1"]) {
      const res = await ask(query.replace("?x=1", "%3Fx%3D1"));
      expect(res.status, query).toBe(403);
      expect(res.headers.get("x-tokensmith-error"), query).toBe("the origin parameter must be one origin such as https://api.example.com");
    }
    expect((await ask("origin=https://API.example.com:443")).status).toBe(200);
  });
});
