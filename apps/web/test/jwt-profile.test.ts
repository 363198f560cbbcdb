import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";
import { auth } from "express-oauth2-jwt-bearer";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * JWT_PROFILE=rfc9068 (issue 22): one server on one database and port, started with the default
 * profile, then with rfc9068, then with the default again. New tokens follow the setting of the
 * moment; every token keeps working through every change, on every server path; and the
 * verifiers that demand RFC 9068 (express-oauth2-jwt-bearer `strict`, jose `typ: "at+jwt"`),
 * installed from npm, accept the rfc9068 tokens.
 */
const API = "https://api.example.com";
const ADMIN = basicAuth("admin", "profile-admin-password");
let database: TestDatabase;
let port: number;
let server: RunningServer;
let strictApp: http.Server;
let defaultToken: { jwt_token: string; jwt_token_id: string };
let profiledToken: { jwt_token: string; jwt_token_id: string };
let noAudience: { jwt_token: string; jwt_token_id: string };

const start = (env: Record<string, string> = {}) =>
  startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "profile-admin-password", PORT: String(port), ...env });
const create = async (body: Record<string, unknown> = {}) =>
  (await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "profile", jwt_token_life: "1 hour", ...body } })).body;
/** Every server path a token is checked on: the API itself, introspection, forward auth. */
async function acceptedEverywhere(token: string): Promise<unknown[]> {
  const self = await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${token}` });
  const introspected = await request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token } });
  const forwarded = await fetch(`${server.url}/v1alpha/forward-auth?audience=${encodeURIComponent(API)}`, {
    headers: { authorization: `Bearer ${token}`, "x-original-method": "GET", "x-original-uri": "/orders" },
  });
  return [self.status, introspected.body.active, forwarded.status];
}

beforeAll(async () => {
  database = await testDatabase();
  port = await freePort();
  server = await start();
  defaultToken = await create({ jwt_token_audience: API });
  noAudience = await create();
  await server.stop();
  server = await start({ JWT_PROFILE: "rfc9068", DEFAULT_AUDIENCE: API });
  profiledToken = await create();
  const app = express();
  app.get("/", auth({ issuerBaseURL: server.url, audience: API, strict: true }), (req, res) => void res.json({ client_id: req.auth!.payload.client_id }));
  app.use(((error, _req, res, _next) => void res.status(error.status ?? 500).json({ error: error.code ?? error.message })) as ErrorRequestHandler);
  strictApp = http.createServer(app);
  await new Promise<void>((resolve) => strictApp.listen(0, "127.0.0.1", resolve));
}, 120_000);
afterAll(async () => {
  strictApp?.close();
  await server?.stop();
  await database?.drop();
});

describe("JWT_PROFILE=rfc9068", () => {
  it("signs typ at+jwt and every claim RFC 9068 §2.2 requires, client_id being the token's id", () => {
    expect(decodeProtectedHeader(profiledToken.jwt_token)).toMatchObject({ typ: "at+jwt", alg: "ES256" });
    const claims = decodeJwt(profiledToken.jwt_token);
    for (const claim of ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"]) expect(claims, claim).toHaveProperty(claim);
    expect(claims).toMatchObject({ aud: API, client_id: profiledToken.jwt_token_id, jti: profiledToken.jwt_token_id, iss: `http://127.0.0.1:${port}` });
    expect(decodeProtectedHeader(defaultToken.jwt_token).typ).toBe("JWT");
    expect(decodeJwt(defaultToken.jwt_token)).not.toHaveProperty("client_id");
  });

  it("express-oauth2-jwt-bearer with strict: true and jose with typ at+jwt accept it, and refuse the default profile's token", async () => {
    const base = `http://127.0.0.1:${(strictApp.address() as AddressInfo).port}/`;
    const call = (token: string) => fetch(base, { headers: { authorization: `Bearer ${token}` } });
    const accepted = await call(profiledToken.jwt_token);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ client_id: profiledToken.jwt_token_id });
    expect((await call(defaultToken.jwt_token)).status).toBe(401);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const options = { issuer: `http://127.0.0.1:${port}`, audience: API, typ: "at+jwt", requiredClaims: ["client_id", "sub", "jti", "iat"] };
    expect((await jwtVerify(profiledToken.jwt_token, jwks, options)).payload.client_id).toBe(profiledToken.jwt_token_id);
    await expect(jwtVerify(defaultToken.jwt_token, jwks, options)).rejects.toThrow(/typ/);
  });

  it("rotating a token that names no audience gives the replacement DEFAULT_AUDIENCE, as §2.2 requires", async () => {
    expect(decodeJwt(noAudience.jwt_token).aud).toBeUndefined();
    const rotated = await request(`${server.url}/v1alpha/token/${noAudience.jwt_token_id}/rotate`, { method: "POST", auth: ADMIN, body: {} });
    expect(rotated.status).toBe(201);
    expect(decodeProtectedHeader(rotated.body.jwt_token).typ).toBe("at+jwt");
    expect(decodeJwt(rotated.body.jwt_token)).toMatchObject({ aud: API, client_id: rotated.body.jwt_token_id });
  });

  it("introspection names the client_id of an rfc9068 token", async () => {
    const res = await request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token: profiledToken.jwt_token } });
    expect(res.body).toMatchObject({ active: true, aud: API, client_id: profiledToken.jwt_token_id });
  });

  it("tokens of both profiles keep working on every server path under either setting", async () => {
    expect(await acceptedEverywhere(defaultToken.jwt_token)).toEqual([200, true, 200]);
    expect(await acceptedEverywhere(profiledToken.jwt_token)).toEqual([200, true, 200]);
    await server.stop();
    server = await start();
    expect(await acceptedEverywhere(defaultToken.jwt_token)).toEqual([200, true, 200]);
    expect(await acceptedEverywhere(profiledToken.jwt_token)).toEqual([200, true, 200]);
    // Back under the default profile: new tokens are plain JWTs again.
    expect(decodeProtectedHeader((await create()).jwt_token).typ).toBe("JWT");
  });

  it("refuses to start with rfc9068 but no DEFAULT_AUDIENCE, or with a DEFAULT_AUDIENCE that is not one", async () => {
    for (const env of [{ JWT_PROFILE: "rfc9068" }, { DEFAULT_AUDIENCE: "api.example.com" }, { JWT_PROFILE: "rfc9999" }]) {
      const failed = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "x", PORT: "0", ...env }).then(
        (started) => started.stop().then(() => "started"),
        (error: Error) => error.message,
      );
      expect(failed, JSON.stringify(env)).toMatch(/(JWT_PROFILE|DEFAULT_AUDIENCE)/);
      expect(failed).not.toMatch(/    at /);
    }
  });
});
