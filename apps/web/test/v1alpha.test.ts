import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@tokensmith/core";
import { openDatabase } from "@tokensmith/db";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
let api: string;
const admin = basicAuth("admin", "admin-password-1");
const bob = basicAuth("bob", "bob-password-1");

beforeAll(async () => {
  const db = await testDatabase();
  server = await startServer({ DATABASE_URL: db.url, ADMIN_PASSWORD: "admin-password-1" });
  // A second user, written straight into the SQLite file the running server uses.
  const opened = await openDatabase(db.url);
  await opened.db.user.create({ data: { username: "bob", passwordHash: await hashPassword("bob-password-1") } });
  await opened.close();
  api = `${server.url}/v1alpha/token`;
});
afterAll(() => server?.stop());

const create = (auth: string, body: unknown = { jwt_token_description: "Token alpha", jwt_token_life: "6 minutes" }) =>
  request(`${api}/`, { method: "POST", auth, body });

describe("POST /v1alpha/token/", () => {
  it("answers 201 with the v1alpha shape", async () => {
    const res = await create(admin);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      message: "Token generated",
      jwt_token_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jwt_token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
      jwt_token_description: "Token alpha",
      jwt_token_life: 360,
    });
  });

  it("works with and without the trailing slash, and with a Bearer token", async () => {
    const { body } = await create(admin, { jwt_token_description: "parent", jwt_token_life: "30 days" });
    const res = await request(api, {
      method: "POST",
      auth: `Bearer ${body.jwt_token}`,
      body: { jwt_token_description: "via bearer", jwt_token_life: "3 weeks" },
    });
    expect(res.status).toBe(201);
    expect(res.body.jwt_token_life).toBe(21 * 86_400);
  });

  it.each([
    ["invalid JSON", { rawBody: "{nope", headers: { "content-type": "application/json" } }, /not valid JSON/],
    ["an empty body", { rawBody: "", headers: { "content-type": "application/json" } }, /empty/],
    ["a JSON array", { body: [1, 2] }, /must be a JSON object/],
    ["a JSON string", { body: "hello" }, /must be a JSON object/],
    ["missing fields", { body: {} }, /jwt_token_description is required; jwt_token_life is required/],
    ["a numeric lifetime", { body: { jwt_token_description: "x", jwt_token_life: 3600 } }, /jwt_token_life must be a string/],
    ["a numeric description", { body: { jwt_token_description: 5, jwt_token_life: "1 day" } }, /jwt_token_description must be a string/],
    ["a junk lifetime", { body: { jwt_token_description: "x", jwt_token_life: "banana" } }, /Invalid lifetime "banana".*Accepted units/],
    ["an unknown unit", { body: { jwt_token_description: "x", jwt_token_life: "10 lightyears" } }, /Accepted units/],
    ["a zero lifetime", { body: { jwt_token_description: "x", jwt_token_life: "0 minutes" } }, /at least 1 second/],
    ["a negative lifetime", { body: { jwt_token_description: "x", jwt_token_life: "-3 days" } }, /at least 1 second/],
    ["a lifetime over the maximum", { body: { jwt_token_description: "x", jwt_token_life: "400 days" } }, /exceeds the maximum of 365 days/],
    ["a long description", { body: { jwt_token_description: "d".repeat(201), jwt_token_life: "1 day" } }, /at most 200 characters/],
  ])("answers 400 for %s", async (_name, init, message) => {
    const res = await request(`${api}/`, { method: "POST", auth: admin, ...init });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
    expect(res.text).not.toMatch(/\n\s+at |node_modules/);
  });

  it("answers 413 for a body over 64 KiB", async () => {
    const res = await request(`${api}/`, {
      method: "POST",
      auth: admin,
      body: { jwt_token_description: "x", jwt_token_life: "1 day", padding: "p".repeat(70_000) },
    });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/larger than 65536 bytes/);
  });
});

describe("GET /v1alpha/token/ and /v1alpha/token/{id}", () => {
  it("lists the caller's own tokens with remaining life, never the JWT", async () => {
    const mine = (await create(bob, { jwt_token_description: "bob's", jwt_token_life: "1 hour" })).body;
    const adminToken = (await create(admin)).body;
    const res = await request(`${api}/`, { auth: bob });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe("Tokens exists");
    expect(Object.keys(res.body.jwt_tokens)).toEqual([mine.jwt_token_id]);
    const listed = res.body.jwt_tokens[mine.jwt_token_id];
    expect(listed).toMatchObject({ jwt_token_description: "bob's", jwt_token_life: 3600 });
    expect(listed.jwt_token_remaining_life).toBeGreaterThan(3590);
    expect(listed.jwt_token_remaining_life).toBeLessThanOrEqual(3600);
    expect(res.text).not.toContain(mine.jwt_token);
    expect(res.text).not.toContain(adminToken.jwt_token_id);
    expect((await request(api, { auth: bob })).status).toBe(200);
  });

  it("gets one token with the v1alpha field names", async () => {
    const { body: created } = await create(admin);
    for (const path of [`${api}/${created.jwt_token_id}`, `${api}/${created.jwt_token_id}/`]) {
      const res = await request(path, { auth: `Bearer ${created.jwt_token}` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        message: "Tokens exists",
        jwt_token_description: "Token alpha",
        jwt_token_life: 360,
        expiry_status: "Valid",
      });
      expect(res.body.jwt_token_life_remaining).toBeGreaterThan(350);
      expect(res.text).not.toContain(created.jwt_token);
    }
  });

  it("answers 404 for an unknown id or another user's token, 400 for a malformed id", async () => {
    const { body: adminToken } = await create(admin);
    const unknown = await request(`${api}/${crypto.randomUUID()}`, { auth: admin });
    expect(unknown).toMatchObject({ status: 404, body: { message: "Token does not exist" } });
    const foreign = await request(`${api}/${adminToken.jwt_token_id}`, { auth: bob });
    expect(foreign).toMatchObject({ status: 404, body: { message: "Token does not exist" } });
    expect((await request(`${api}/not-a-token-id`, { auth: admin })).status).toBe(400);
    expect((await request(`${api}/%E0%A4%A`, { auth: admin })).status).toBe(400);
  });
});

describe("DELETE /v1alpha/token/{id}", () => {
  it("revokes: 200, then the token is refused on the very next request", async () => {
    const { body: created } = await create(admin);
    const bearer = `Bearer ${created.jwt_token}`;
    expect((await request(`${api}/`, { auth: bearer })).status).toBe(200);
    const res = await request(`${api}/${created.jwt_token_id}`, { method: "DELETE", auth: admin });
    expect(res).toMatchObject({ status: 200, body: { message: "Token deleted" } });
    const after = await request(`${api}/`, { auth: bearer });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    expect((await request(`${api}/${created.jwt_token_id}`, { auth: admin })).status).toBe(404);
    expect((await request(`${api}/${created.jwt_token_id}`, { method: "DELETE", auth: admin })).status).toBe(404);
  });

  it("cannot revoke another user's token", async () => {
    const { body: created } = await create(admin);
    expect((await request(`${api}/${created.jwt_token_id}`, { method: "DELETE", auth: bob })).status).toBe(404);
    expect((await request(`${api}/`, { auth: `Bearer ${created.jwt_token}` })).status).toBe(200);
  });
});

describe("PATCH /v1alpha/token/{id}", () => {
  it("gives a token a new description: 200 with the token, refused for another user's, a revoked one or a bad body", async () => {
    const { body: created } = await create(admin);
    const url = `${api}/${created.jwt_token_id}`;
    const res = await request(url, { method: "PATCH", auth: admin, body: { jwt_token_description: "payments (prod)" } });
    expect(res).toMatchObject({ status: 200, body: { message: "Token updated", jwt_token_id: created.jwt_token_id, jwt_token_description: "payments (prod)", jwt_token_life: 360 } });
    expect((await request(url, { auth: `Bearer ${created.jwt_token}` })).body.jwt_token_description).toBe("payments (prod)");
    expect((await request(url, { method: "PATCH", auth: bob, body: { jwt_token_description: "x" } })).status).toBe(404);
    const bad = await request(url, { method: "PATCH", auth: admin, body: { jwt_token_description: "" } });
    expect(bad).toMatchObject({ status: 400, body: { errors: [{ field: "jwt_token_description", message: "must not be empty" }] } });
    expect((await request(url, { method: "PATCH", auth: admin, rawBody: "{nope", headers: { "content-type": "application/json" } })).status).toBe(400);
    await request(url, { method: "DELETE", auth: admin });
    expect((await request(url, { method: "PATCH", auth: admin, body: { jwt_token_description: "late" } })).status).toBe(404);
  });
});

describe("authentication and routing", () => {
  it.each([
    ["no credentials", undefined, 'Bearer realm="tokensmith"'],
    ["a wrong password", basicAuth("admin", "wrong"), 'Basic realm="tokensmith", charset="UTF-8"'],
    ["an unknown user", basicAuth("mallory", "x"), 'Basic realm="tokensmith", charset="UTF-8"'],
    ["a garbage token", "Bearer abc.def.ghi", /error="invalid_token"/],
    ["an unknown scheme", "Token abc", 'Bearer realm="tokensmith"'],
  ])("answers 401 for %s, naming the scheme to use", async (_name, auth, challenge) => {
    for (const [method, path] of [["GET", `${api}/`], ["POST", `${api}/`], ["GET", `${api}/${crypto.randomUUID()}`], ["DELETE", `${api}/${crypto.randomUUID()}`]] as const) {
      const res = await request(path, { method, auth, body: method === "POST" ? {} : undefined });
      expect(res.status).toBe(401);
      expect(typeof res.body.message).toBe("string");
      if (typeof challenge === "string") expect(res.headers.get("www-authenticate")).toBe(challenge);
      else expect(res.headers.get("www-authenticate")).toMatch(challenge);
    }
  });

  it("answers 405 with Allow for a wrong method and 404 for an unknown path", async () => {
    const res = await request(`${api}/`, { method: "PUT", auth: admin });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect((await request(`${server.url}/v1alpha/nothing`, { auth: admin })).status).toBe(404);
    expect((await request(`${api}/a/b`, { auth: admin })).status).toBe(404);
  });

  it("serves an OpenAPI 3.1 document generated from the request schemas", async () => {
    const res = await request(`${server.url}/v1alpha/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual([
      "/v1alpha/token/",
      "/v1alpha/token/self",
      "/v1alpha/token/{id}",
      "/v1alpha/token/{id}/rotate",
      "/v1alpha/token/{id}/pause",
      "/v1alpha/token/{id}/resume",
      "/v1alpha/token/{id}/usage",
      "/v1alpha/forward-auth",
      "/v1alpha/revocations",
      "/v1alpha/openapi.json",
      "/.well-known/jwks.json",
      "/v1alpha/introspect",
      "/v1alpha/revoke",
      "/v1alpha/credentials/revoke",
      "/.well-known/oauth-authorization-server",
      "/.well-known/openid-configuration",
      "/v1alpha/webhooks/",
      "/v1alpha/webhooks/{id}",
      "/v1alpha/webhooks/{id}/deliveries",
      "/v1alpha/webhooks/{id}/deliveries/{deliveryId}",
      "/v1alpha/webhooks/{id}/deliveries/{deliveryId}/redeliver",
      "/v1alpha/webhooks/{id}/test",
      "/v1alpha/service-accounts/{name}/tokens",
      "/v1alpha/token-policies/effective",
      "/v1alpha/token-policies/violations",
    ]);
    const createBody = res.body.components.schemas.CreateTokenRequest;
    expect(createBody.required).toEqual(["jwt_token_description", "jwt_token_life"]);
    expect(createBody.properties.jwt_token_description).toMatchObject({ type: "string", minLength: 1, maxLength: 200 });
    expect(res.body.components.schemas.GetTokenResponse.properties).toHaveProperty("jwt_token_life_remaining");
    expect(res.body.components.schemas.ListedToken.properties).toHaveProperty("jwt_token_remaining_life");
  });

  it("serves tRPC at /api/trpc with the same auth", async () => {
    const { body: created } = await create(admin);
    const list = await request(`${server.url}/api/trpc/token.list`, { auth: `Bearer ${created.jwt_token}` });
    expect(list.status).toBe(200);
    expect(list.body.result.data.some((t: { id: string }) => t.id === created.jwt_token_id)).toBe(true);
    const anonymous = await request(`${server.url}/api/trpc/token.list`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).not.toMatch(/\n\s+at |node_modules/);
  });

  it("hands everything else to Next, which serves the sign-in page", async () => {
    const res = await request(`${server.url}/login`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Sign in to Tokensmith");
  });
});
