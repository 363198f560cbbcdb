import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { auth } from "express-oauth2-jwt-bearer";
import { expressjwt } from "express-jwt";
import jwksRsa from "jwks-rsa";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokensmithClient, TRPCClientError } from "@tokensmith/client";
import { startCaddy, startNginx, type Caddy, type Nginx } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { shippedProxyConfig } from "./support/shipped-proxy.js";

/**
 * Audiences (issue 22), on a real server with no DEFAULT_AUDIENCE: set over REST, tRPC and
 * rotation, signed as `aud`, stored and shown, only narrowed by a child token, reported by
 * introspection, required per location by forward auth behind a real nginx and Caddy, and accepted
 * by the verifiers people use, installed from npm: express-oauth2-jwt-bearer, jose, express-jwt.
 */
const API = "https://api.example.com";
const BILLING = "urn:example:billing";
const ADMIN = basicAuth("admin", "audience-admin-password");
let server: RunningServer;
let libraries: http.Server;
let upstream: http.Server;
let nginx: Nginx;
let caddy: Caddy;

const create = (authorization: string, body: Record<string, unknown> = {}) =>
  request(`${server.url}/v1alpha/token/`, { method: "POST", auth: authorization, body: { jwt_token_description: "aud", jwt_token_life: "1 hour", ...body } });
const listen = async (app: http.Server) => {
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  return `127.0.0.1:${(app.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "audience-admin-password", TRUST_PROXY: "1" });
  const issuer = decodeJwt((await create(ADMIN)).body.jwt_token).iss!;
  // Each library as its own documentation says to use it, one route each, all requiring API.
  const app = express();
  app.get("/oauth2-jwt-bearer", auth({ issuerBaseURL: server.url, audience: API }), (req, res) => void res.json({ sub: req.auth!.payload.sub }));
  app.get(
    "/express-jwt",
    expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri: `${server.url}/.well-known/jwks.json` }) as never, audience: API, issuer, algorithms: ["ES256"] }),
    (req, res) => void res.json({ sub: (req as unknown as { auth: { sub: string } }).auth.sub }),
  );
  app.use(((error, _req, res, _next) => void res.status(error.status ?? 500).json({ error: error.code ?? error.message })) as ErrorRequestHandler);
  libraries = http.createServer(app);
  await listen(libraries);
  upstream = http.createServer((req, res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ user: req.headers["x-tokensmith-user"] ?? null })));
  const upstreamHost = await listen(upstream);
  const tokensmithHost = new URL(server.url).host;
  // The shipped configurations, each location requiring BILLING by the forward-auth URL's query.
  const nginxConfig = shippedProxyConfig("nginx", { tokensmith: tokensmithHost, api: upstreamHost }).replace(
    "/v1alpha/forward-auth;",
    `/v1alpha/forward-auth?audience=${BILLING};`,
  );
  expect(nginxConfig).toContain(`forward-auth?audience=${BILLING}`);
  nginx = await startNginx(nginxConfig);
  const caddyfile = shippedProxyConfig("caddy", { tokensmith: tokensmithHost, api: upstreamHost }).replace(
    "uri /v1alpha/forward-auth\n",
    `uri /v1alpha/forward-auth?audience=${BILLING}\n`,
  );
  expect(caddyfile).toContain(`forward-auth?audience=${BILLING}`);
  caddy = await startCaddy(caddyfile);
}, 120_000);
afterAll(async () => {
  nginx?.stop();
  await caddy?.stop();
  libraries?.close();
  upstream?.close();
  await server?.stop();
});

describe("audiences on REST and tRPC", () => {
  it("signs one audience as a string and several as an array; get, list and introspection show them; none without DEFAULT_AUDIENCE", async () => {
    const one = (await create(ADMIN, { jwt_token_audience: API })).body;
    const two = (await create(ADMIN, { jwt_token_audience: [API, BILLING, API] })).body;
    const none = (await create(ADMIN)).body;
    expect([decodeJwt(one.jwt_token).aud, decodeJwt(two.jwt_token).aud, decodeJwt(none.jwt_token).aud]).toEqual([API, [API, BILLING], undefined]);
    expect([one.jwt_token_audience, two.jwt_token_audience, none.jwt_token_audience]).toEqual([[API], [API, BILLING], null]);
    expect((await request(`${server.url}/v1alpha/token/${two.jwt_token_id}`, { auth: ADMIN })).body.jwt_token_audience).toEqual([API, BILLING]);
    const listed = (await request(`${server.url}/v1alpha/token/`, { auth: ADMIN })).body.jwt_tokens as Record<string, { jwt_token_audience: unknown }>;
    expect(listed[one.jwt_token_id]?.jwt_token_audience).toEqual([API]);
    const introspect = (token: string) =>
      request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token } }).then((res) => res.body as Record<string, unknown>);
    expect((await introspect(one.jwt_token)).aud).toBe(API);
    expect((await introspect(two.jwt_token)).aud).toEqual([API, BILLING]);
    expect(await introspect(none.jwt_token)).not.toHaveProperty("aud");
  });

  it("refuses what is not an audience with a 400 naming jwt_token_audience, never a 500", async () => {
    const bad: unknown[] = ["api.example.com", "/v1/orders", "https://api.example.com#x", "https:api", "urn:x", "https://a b", "", 42, {}, [], ["https://ok.example", 7], Array.from({ length: 11 }, (_, i) => `urn:example:${i}`), "https://" + "a".repeat(300)];
    for (const audience of bad) {
      const res = await create(ADMIN, { jwt_token_audience: audience });
      expect(res.status, JSON.stringify(audience)).toBe(400);
      expect(res.body.errors?.[0]?.field, JSON.stringify(audience)).toBe("jwt_token_audience");
    }
  });

  it("tRPC takes `audience` with the same rule", async () => {
    const client = createTokensmithClient({ url: server.url, username: "admin", password: "audience-admin-password" });
    const created = await client.token.create.mutate({ description: "trpc", life: "1 hour", audience: [BILLING] });
    expect(created.audience).toEqual([BILLING]);
    expect(decodeJwt(created.token).aud).toBe(BILLING);
    const refused = await client.token.create.mutate({ description: "trpc", life: "1 hour", audience: "not a uri" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<never>).data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
  });

  it("a child token may only narrow its parent's audience, at creation and at rotation", async () => {
    const parent = (await create(ADMIN, { jwt_token_audience: [API, BILLING] })).body;
    const asParent = `Bearer ${parent.jwt_token}`;
    // Children live shorter than their parent, or they are refused for that.
    const child = (body: Record<string, unknown> = {}) => create(asParent, { jwt_token_life: "30 minutes", ...body });
    const inherited = await child();
    expect(inherited.status, JSON.stringify(inherited.body)).toBe(201);
    expect(inherited.body.jwt_token_audience).toEqual([API, BILLING]);
    const narrowed = await child({ jwt_token_audience: BILLING });
    expect(narrowed.status).toBe(201);
    for (const wider of ["https://other.example.com", [API, "https://other.example.com"], null]) {
      const refused = await child({ jwt_token_audience: wider });
      expect(refused.status, JSON.stringify(wider)).toBe(403);
      expect(refused.body.message).toMatch(/may only name some of those audiences/);
    }
    // Rotated by the password, the replacement is still the parent's child.
    const rotate = (id: string, body: Record<string, unknown>) => request(`${server.url}/v1alpha/token/${id}/rotate`, { method: "POST", auth: ADMIN, body });
    expect((await rotate(narrowed.body.jwt_token_id, { jwt_token_audience: "https://other.example.com" })).status).toBe(403);
    const rotated = await rotate(narrowed.body.jwt_token_id, { jwt_token_audience: API });
    expect(rotated.status).toBe(201);
    expect(decodeJwt(rotated.body.jwt_token).aud).toBe(API);
    // Omitted: the replacement keeps the old token's audience.
    const kept = await rotate(rotated.body.jwt_token_id, {});
    expect(kept.body.jwt_token_audience).toEqual([API]);
  });
});

describe("verifiers that check the audience, installed from npm", () => {
  it("express-oauth2-jwt-bearer (issuerBaseURL + audience), express-jwt + jwks-rsa and jose accept a token for API and refuse others", async () => {
    const forApi = (await create(ADMIN, { jwt_token_audience: [BILLING, API] })).body.jwt_token as string;
    const forOther = (await create(ADMIN, { jwt_token_audience: BILLING })).body.jwt_token as string;
    const none = (await create(ADMIN)).body.jwt_token as string;
    const base = `http://${(libraries.address() as AddressInfo).address}:${(libraries.address() as AddressInfo).port}`;
    for (const route of ["/oauth2-jwt-bearer", "/express-jwt"]) {
      const call = (token: string) => fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
      expect((await call(forApi)).status, route).toBe(200);
      expect((await call(forOther)).status, route).toBe(401);
      expect((await call(none)).status, route).toBe(401);
    }
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const issuer = decodeJwt(forApi).iss!;
    expect((await jwtVerify(forApi, jwks, { issuer, audience: API })).payload.aud).toEqual([BILLING, API]);
    await expect(jwtVerify(forOther, jwks, { issuer, audience: API })).rejects.toThrow(/"aud" claim/);
    await expect(jwtVerify(none, jwks, { issuer, audience: API })).rejects.toThrow(/"aud" claim/);
  });
});

describe("forward auth requires an audience per location", () => {
  it("by the forward-auth URL's query, which a client cannot reach: nginx and Caddy pass only tokens that name it", async () => {
    const billing = `Bearer ${(await create(ADMIN, { jwt_token_audience: [API, BILLING] })).body.jwt_token}`;
    const other = `Bearer ${(await create(ADMIN, { jwt_token_audience: API })).body.jwt_token}`;
    const none = `Bearer ${(await create(ADMIN)).body.jwt_token}`;
    for (const proxy of [nginx.url, caddy.url]) {
      const call = (authorization: string, path = "/api/orders/1") => fetch(`${proxy}${path}`, { headers: { authorization } });
      const passed = await call(billing);
      expect(passed.status, proxy).toBe(200);
      expect(await passed.json()).toEqual({ user: "admin" });
      for (const refused of [await call(other), await call(none), await call(other, `/api/orders/1?audience=${API}`)]) {
        expect(refused.status, proxy).toBe(401);
        expect(refused.headers.get("www-authenticate"), proxy).toMatch(/error="invalid_token"/);
      }
    }
  });

  it("directly: any one of several audiences will do; a parameter that is not an audience is a 403 naming it", async () => {
    const token = `Bearer ${(await create(ADMIN, { jwt_token_audience: BILLING })).body.jwt_token}`;
    const ask = (query: string) =>
      fetch(`${server.url}/v1alpha/forward-auth${query}`, { headers: { authorization: token, "x-original-method": "GET", "x-original-uri": "/x" } });
    expect((await ask("")).status).toBe(200);
    expect((await ask(`?audience=${encodeURIComponent(API)}&audience=${BILLING}`)).status).toBe(200);
    const wrong = await ask(`?audience=${encodeURIComponent(API)}`);
    expect([wrong.status, wrong.headers.get("x-tokensmith-error")]).toEqual([401, "the token is not meant for this audience"]);
    const broken = await ask("?audience=billing");
    expect(broken.status).toBe(403);
    expect(broken.headers.get("x-tokensmith-error")).toMatch(/^the audience parameter must be an absolute URI/);
  });
});
