import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, type JWK } from "jose";
import { startNginx, type Nginx } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * A DPoP-bound token through a real nginx, with the configuration the docs show
 * (deploy/nginx/forward-auth.conf): nginx passes the client's DPoP header, the original method and
 * URI and the host it addressed to forward auth, which checks the proof oauth4webapi made.
 */
const CONFIG = fileURLToPath(new URL("../../../deploy/nginx/forward-auth.conf", import.meta.url));
const ADMIN = basicAuth("admin", "admin-password-1");
let tokensmith: RunningServer;
let api: http.Server;
let nginx: Nginx;
let key: CryptoKeyPair;
const seen: { url: string; user: string | undefined }[] = [];

beforeAll(async () => {
  tokensmith = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
  api = http.createServer((req, res) => {
    seen.push({ url: req.url!, user: req.headers["x-tokensmith-user"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const config = fs
    .readFileSync(CONFIG, "utf8")
    .replace("listen 80;", "listen 127.0.0.1:{{port}};")
    .replaceAll("127.0.0.1:3000", new URL(tokensmith.url).host)
    .replaceAll("127.0.0.1:8080", `127.0.0.1:${(api.address() as AddressInfo).port}`);
  nginx = await startNginx(config);
  key = await oauth.generateKeyPair("ES256");
});
afterAll(async () => {
  nginx?.stop();
  api?.close();
  await tokensmith?.stop();
});

async function call(token: string, path: string, options: { key?: CryptoKeyPair; fetch?: oauth.CustomFetch } = {}): Promise<{ status: number; challenge?: oauth.WWWAuthenticateChallenge }> {
  try {
    const response = await oauth.protectedResourceRequest(token, "GET", new URL(`${nginx.url}${path}`), new Headers(), null, {
      DPoP: oauth.DPoP({ client_id: "nginx-tests" }, options.key ?? key),
      // nginx listens on plain HTTP on loopback here; production is HTTPS.
      [oauth.allowInsecureRequests]: true,
      ...(options.fetch ? { [oauth.customFetch]: options.fetch } : {}),
    });
    return { status: response.status };
  } catch (error) {
    if (!(error instanceof oauth.WWWAuthenticateChallengeError)) throw error;
    return { status: error.status, challenge: error.cause[0] };
  }
}

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
