import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/** Verifying with only what is published, introspection (RFC 7662), and the metadata that names them. */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

async function create(auth = ADMIN, body: Record<string, unknown> = {}) {
  const res = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth, body: { jwt_token_description: "t", jwt_token_life: "1 day", ...body } });
  expect(res.status).toBe(201);
  return res.body as { jwt_token: string; jwt_token_id: string };
}
const introspect = (token: string, auth: string | null = ADMIN, json = false) =>
  request(`${server.url}/v1alpha/introspect`, {
    method: "POST",
    ...(auth ? { auth } : {}),
    ...(json ? { body: { token } } : { rawBody: new URLSearchParams({ token }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } }),
  });

describe("publication", () => {
  it("a program with only the JWKS verifies a token offline with jose", async () => {
    const { jwt_token } = await create();
    const metadata = await request(`${server.url}/.well-known/oauth-authorization-server`);
    expect(metadata.status).toBe(200);
    expect(metadata.body).toMatchObject({
      issuer: server.url,
      jwks_uri: `${metadata.body.issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${metadata.body.issuer}/v1alpha/introspect`,
    });
    const jwks = await request(`${server.url}/.well-known/jwks.json`);
    expect(jwks.headers.get("cache-control")).toBe("public, max-age=300");
    expect(jwks.headers.get("content-type")).toMatch(/^application\/jwk-set\+json/);
    for (const key of jwks.body.keys) expect(key).not.toHaveProperty("d");
    // What an API would do: fetch the key set from the metadata, verify signature, issuer and expiry.
    const keySet = createRemoteJWKSet(new URL(jwks.url ?? `${server.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(jwt_token, keySet, { issuer: metadata.body.issuer, algorithms: ["ES256", "EdDSA"] });
    expect(protectedHeader).toMatchObject({ alg: "ES256", kid: jwks.body.keys[0].kid });
    expect(payload).toMatchObject({ username: "admin", iss: metadata.body.issuer });
    expect(decodeProtectedHeader(jwt_token).kid).toBe(jwks.body.keys[0].kid);
  });

  it("answers 405 with Allow for other methods", async () => {
    const res = await request(`${server.url}/.well-known/jwks.json`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("introspection (RFC 7662)", () => {
  it("describes a token in force, form-encoded or JSON", async () => {
    const { jwt_token, jwt_token_id } = await create(ADMIN, { jwt_token_endpoints: ["GET /api/orders/*"] });
    for (const json of [false, true]) {
      const res = await introspect(jwt_token, ADMIN, json);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.body).toEqual({
        active: true,
        sub: expect.any(String),
        username: "admin",
        jti: jwt_token_id,
        iat: expect.any(Number),
        exp: expect.any(Number),
        iss: expect.stringMatching(/^http:\/\//),
        token_type: "Bearer",
        jwt_token_endpoints: ["GET /api/orders/*"],
        account_type: "person",
      });
    }
  });

  it("says exactly {active:false} for revoked, expired, unknown, forged and garbage tokens", async () => {
    const revoked = await create();
    await request(`${server.url}/v1alpha/token/${revoked.jwt_token_id}`, { method: "DELETE", auth: ADMIN });
    const short = await create(ADMIN, { jwt_token_life: "1 second" });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const real = await create();
    const [h, p] = real.jwt_token.split(".");
    const forged = `${h}.${p}.${"A".repeat(86)}`;
    for (const token of [revoked.jwt_token, short.jwt_token, forged, "garbage", "a.b.c", "x".repeat(9000)]) {
      const res = await introspect(token);
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"active":false}');
    }
  });

  it("needs credentials, and a limited token needs the introspection endpoint", async () => {
    const { jwt_token } = await create();
    const anonymous = await introspect(jwt_token, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Basic realm="tokensmith", charset="UTF-8"');
    const narrow = await create(ADMIN, { jwt_token_endpoints: ["GET /v1alpha/token/*"] });
    expect((await introspect(jwt_token, `Bearer ${narrow.jwt_token}`)).status).toBe(403);
    const resourceServer = await create(ADMIN, { jwt_token_endpoints: ["POST /v1alpha/introspect"] });
    expect((await introspect(jwt_token, `Bearer ${resourceServer.jwt_token}`)).body.active).toBe(true);
    const empty = { method: "POST", auth: ADMIN, rawBody: "", headers: { "content-type": "application/x-www-form-urlencoded" } };
    expect((await request(`${server.url}/v1alpha/introspect`, empty)).status).toBe(400);
  });

  it("reads a form body as URLSearchParams does, with or without escapes", async () => {
    const { jwt_token } = await create();
    const form = (rawBody: string) =>
      request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, rawBody, headers: { "content-type": "application/x-www-form-urlencoded" } });
    const active = async (rawBody: string) => (await form(rawBody)).body.active;
    // The first token counts, wherever it stands; other fields are ignored.
    expect(await active(`scope=x&token=${jwt_token}&token=garbage`)).toBe(true);
    expect(await active(`token=garbage&token=${jwt_token}`)).toBe(false);
    // Escaped values and names are decoded; one leading "?" is dropped.
    expect(await active(`token=${jwt_token.replaceAll(".", "%2E")}`)).toBe(true);
    expect(await active(`tok%65n=${jwt_token}`)).toBe(true);
    expect(await active(`?token=${jwt_token}`)).toBe(true);
    expect(await active(`token=${jwt_token}+`)).toBe(false);
    // client_ip is checked in both forms.
    expect((await form(`token=${jwt_token}&client_ip=nonsense`)).status).toBe(400);
    expect((await form(`token=${jwt_token}&client_ip=10.0.0.1`)).body.active).toBe(true);
    expect((await form(`token=${jwt_token}&client_ip=10%2E0.0.1`)).body.active).toBe(true);
    expect((await form("token")).status).toBe(400);
    expect((await form("token=&token=" + jwt_token)).status).toBe(400);
  });

  it("sees a revocation on the very next call", async () => {
    const { jwt_token, jwt_token_id } = await create();
    expect((await introspect(jwt_token)).body.active).toBe(true);
    await request(`${server.url}/v1alpha/token/${jwt_token_id}`, { method: "DELETE", auth: ADMIN });
    expect((await introspect(jwt_token)).body).toEqual({ active: false });
  });
});
