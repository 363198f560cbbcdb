import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, TEST_MASTER_SECRET, type RunningServer } from "./support/server.js";
import { sql } from "./support/sql.js";
import { importSpecter, specterSign, specterUsers, writeFiles } from "./support/specter.js";

/**
 * Specter Desktop's own test of its token API, tests/test_jwt.py::test_token_endpoints (at its
 * main), step by step over HTTP against /api/v1alpha/ of the built server. Each step names the line
 * of test_jwt.py it comes from. Specter's steps that use a wallet route to see a Bearer token
 * accepted (`/api/v1alpha/wallets/missing/psbt`: 403 once authenticated) use the token list here,
 * which takes Bearer too (200 once authenticated); Specter's final 500 is our 404.
 */
const WERKZEUG_401 = "The server could not verify that you are authorized to access the URL requested.";
const SECRET = "specter-secret-key-22c";
let database: TestDatabase;
let server: RunningServer;
let api: string;

beforeAll(async () => {
  database = await testDatabase();
  const env = { DATABASE_URL: database.url, ...(database.kind === "postgres" ? { TOKENSMITH_SECRET: TEST_MASTER_SECRET } : {}) };
  // test_jwt.py:13-24 — Specter's user "someuser" with hash_password("somepassword") and no tokens,
  // brought in with the secret Specter signs with (User.generate_jwt_token below needs it).
  const made = specterUsers(SECRET, [
    { id: "someuser", username: "someuser", password: "somepassword", is_admin: false },
    // A token of Specter's own, so that the import stores Specter's secret.
    { id: "keeper", username: "keeper", password: "keeper-password", is_admin: false, tokens: [{ description: "kept", life: 3600 }] },
  ]);
  const files = writeFiles({ "users.json": JSON.stringify(made.users), secret: SECRET });
  expect(importSpecter(env, ["--users", files.path("users.json"), "--secret-file", files.path("secret")]).code).toBe(0);
  server = await startServer({ ...env, ADMIN_PASSWORD: "admin-password-1" });
  api = `${server.url}/api/v1alpha`;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const json = { "Content-type": "application/json" };
const emptyBasic = { ...json, Authorization: "Basic " };
const someuser = { ...json, Authorization: basicAuth("someuser", "somepassword") };
const get = (path: string, headers: Record<string, string>) => request(`${api}${path}`, { headers });
const bearer = (token: string) => get("/token/", { Authorization: `Bearer ${token}` });

describe("Specter's test_token_endpoints, against /api/v1alpha/", () => {
  it("runs every step", async () => {
    // test_jwt.py:28-40 — username and password not entered: 401 with Werkzeug's words, as JSON.
    let response = await get("/token", emptyBasic);
    expect(response.status).toBe(401);
    expect(response.body.message.startsWith(WERKZEUG_401)).toBe(true);

    // test_jwt.py:42-51 — the same for creating a token.
    response = await request(`${api}/token`, { method: "POST", headers: emptyBasic, rawBody: `{"jwt_token_description": "somedescription", "jwt_token_life": "6 minutes"}` });
    expect(response.status).toBe(401);
    expect(response.body.message.startsWith(WERKZEUG_401)).toBe(true);

    // test_jwt.py:62-66 — no token yet: 404 "Tokens does not exist".
    response = await get("/token", someuser);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe("Tokens does not exist");

    // test_jwt.py:68-85 — the user creates a token.
    response = await request(`${api}/token`, { method: "POST", headers: someuser, rawBody: `{"jwt_token_description": "somedescription", "jwt_token_life": "6 minutes"}` });
    expect(response.status).toBe(201);
    expect(response.body.message).toBe("Token generated");
    expect(response.body.jwt_token_id).toBeTruthy();
    expect(response.body.jwt_token).toBeTruthy();
    expect(response.body.jwt_token_description).toBe("somedescription");
    expect(response.body.jwt_token_life).toBe(360);
    const jwtTokenId: string = response.body.jwt_token_id;
    const jwtToken: string = response.body.jwt_token;

    // test_jwt.py:87-98 — after a reload of the store (here: a restart) the registered token authenticates.
    await server.stop();
    server = await startServer({ DATABASE_URL: database.url, ...(database.kind === "postgres" ? { TOKENSMITH_SECRET: TEST_MASTER_SECRET } : {}) });
    api = `${server.url}/api/v1alpha`;
    expect((await bearer(jwtToken)).status).toBe(200);

    // test_jwt.py:100-109 — a token signed with the secret but never registered: 401.
    const unregistered = specterSign(SECRET, { username: "someuser", jwt_token_id: crypto.randomUUID(), jwt_token_description: "unregistered" }, { expIn: 360 });
    expect((await bearer(unregistered)).status).toBe(401);

    // test_jwt.py:111-128 — a missing, or non-string, token id: 401.
    for (const payload of [{ username: "someuser" }, { username: "someuser", jwt_token_id: ["invalid"] }]) {
      expect((await bearer(specterSign(SECRET, payload, { expIn: 360 }))).status).toBe(401);
    }

    // test_jwt.py:130-139 — another signed token cannot borrow the active token's id.
    const mismatched = specterSign(SECRET, { username: "someuser", jwt_token_id: jwtTokenId, jwt_token_description: "mismatched" }, { expIn: 360 });
    expect((await bearer(mismatched)).status).toBe(401);

    // test_jwt.py:141-159 — a malformed stored record fails closed (its stored hash emptied), then is restored.
    const [stored] = await sql<{ tokenHash: string; userId: string }>(database, `SELECT "tokenHash", "userId" FROM "AccessToken" WHERE "id" = ?`, [jwtTokenId]);
    await sql(database, `UPDATE "AccessToken" SET "tokenHash" = ? WHERE "id" = ?`, ["", jwtTokenId]);
    expect((await bearer(jwtToken)).status).toBe(401);
    await sql(database, `UPDATE "AccessToken" SET "tokenHash" = ? WHERE "id" = ?`, [stored!.tokenHash, jwtTokenId]);

    // test_jwt.py:161-177 — a record not in the user's own store (here: filed under another user) fails closed, then is restored.
    const [keeper] = await sql<{ id: string }>(database, `SELECT "id" FROM "User" WHERE "username" = ?`, ["keeper"]);
    await sql(database, `UPDATE "AccessToken" SET "userId" = ? WHERE "id" = ?`, [keeper!.id, jwtTokenId]);
    expect((await bearer(jwtToken)).status).toBe(401);
    await sql(database, `UPDATE "AccessToken" SET "userId" = ? WHERE "id" = ?`, [stored!.userId, jwtTokenId]);
    expect((await bearer(jwtToken)).status).toBe(200);

    // test_jwt.py:179-184 — the list: 200 "Tokens exist".
    response = await get("/token", someuser);
    expect(response.status).toBe(200);
    expect(response.body.message).toBe("Tokens exist");
    expect(response.body).toBeTruthy();

    // test_jwt.py:186-200 — a token by id without credentials: 401 with Werkzeug's words.
    response = await get("/token/some_token_id", emptyBasic);
    expect(response.status).toBe(401);
    expect(response.body.message.startsWith(WERKZEUG_401)).toBe(true);

    // test_jwt.py:211-219 — a token by id.
    response = await get(`/token/${jwtTokenId}`, someuser);
    expect(response.status).toBe(200);
    expect(response.body.message).toBe("Token exists");
    expect(response.body.jwt_token_description).toBe("somedescription");
    expect(response.body.jwt_token_life).toBe(360);

    // test_jwt.py:221-227 — deleting it.
    response = await request(`${api}/token/${jwtTokenId}`, { method: "DELETE", headers: someuser });
    expect(response.status).toBe(200);
    expect(response.body.message).toBe("Token deleted");

    // test_jwt.py:229-235 — deletion revokes the Bearer token at once.
    expect((await bearer(jwtToken)).status).toBe(401);

    // test_jwt.py:237-246 — the deleted token again: Specter answers 500 ("Can't tell you the
    // reason…"); we answer 404 with the message Specter has for a token that does not exist.
    response = await get(`/token/${jwtTokenId}`, someuser);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe("Token does not exist, make sure to enter correct token id");
  });
});

describe("/api/v1alpha/ beyond Specter's own test (answers recorded from Specter's code)", () => {
  const create = (description: string, life: string | number) =>
    request(`${api}/token/`, { method: "POST", headers: someuser, rawBody: JSON.stringify({ jwt_token_description: description, jwt_token_life: life }) });

  it("writes JSON as Flask-RESTful does, byte for byte", async () => {
    const response = await request(`${api}/token/`, { headers: emptyBasic });
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.text).toBe(
      `{"message": "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required."}\n`,
    );
  });

  it("spells remaining life two ways: a float while valid, the integer 0 once expired", async () => {
    const long = await create("float life", "1.5 hours");
    expect(long.status).toBe(201);
    expect(long.body.jwt_token_life).toBe(5400);
    const short = await create("soon gone", "1 second");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const listed = await get("/token/", someuser);
    expect(listed.text).toMatch(new RegExp(`"${short.body.jwt_token_id}": \\{"jwt_token_description": "soon gone", "jwt_token_life": 1, "jwt_token_remaining_life": 0\\}`));
    expect(listed.text).toMatch(new RegExp(`"${long.body.jwt_token_id}": \\{"jwt_token_description": "float life", "jwt_token_life": 5400, "jwt_token_remaining_life": \\d+\\.\\d+\\}`));
    const one = await get(`/token/${long.body.jwt_token_id}/`, someuser);
    expect(Object.keys(one.body)).toEqual(["message", "jwt_token_description", "jwt_token_life", "jwt_token_life_remaining", "expiry_status"]);
    expect(one.text).toMatch(/"jwt_token_life_remaining": \d+\.\d+, "expiry_status": "Valid"/);
    expect((await get(`/token/${short.body.jwt_token_id}`, someuser)).text).toMatch(/"jwt_token_life_remaining": 0, "expiry_status": "Expired"\}\n$/);
  });

  it("refuses a blank or repeated description, and a missing argument, in Specter's words", async () => {
    expect((await create("", "6 minutes")).body).toEqual({ message: "Token description already exists or is blank" });
    expect((await create("twice", "6 minutes")).status).toBe(201);
    expect(await create("twice", "6 minutes")).toMatchObject({ status: 400, body: { message: "Token description already exists or is blank" } });
    // Specter meant these as reqparse's 400s (its error wrapper turns them into 500s).
    const missing = await request(`${api}/token/`, { method: "POST", headers: someuser, rawBody: "{}" });
    expect(missing).toMatchObject({ status: 400, body: { message: { jwt_token_description: "JWT token description" } } });
    const noLife = await request(`${api}/token/`, { method: "POST", headers: someuser, rawBody: `{"jwt_token_description": "x"}` });
    expect(noLife).toMatchObject({ status: 400, body: { message: { jwt_token_life: "JWT token life" } } });
    // A lifetime Specter cannot parse was a 500 there: a 400 naming the field here.
    expect(await create("junk", "junk")).toMatchObject({ status: 400, body: { errors: [{ field: "jwt_token_life" }] } });
  });

  it("answers 404 in Specter's shape where Specter answers 500, and 405 for methods it does not serve", async () => {
    const gone = { status: 404, body: { message: "Token does not exist, make sure to enter correct token id" } };
    expect(await get("/token/some_token_id", someuser)).toMatchObject(gone);
    expect(await request(`${api}/token/some_token_id/`, { method: "DELETE", headers: someuser })).toMatchObject(gone);
    expect(await get(`/token/${crypto.randomUUID()}/`, someuser)).toMatchObject(gone);
    // Another user's token is not found either.
    const keepers = await request(`${api}/token/`, { headers: { Authorization: basicAuth("keeper", "keeper-password") } });
    const keptId = Object.keys(keepers.body.jwt_tokens)[0]!;
    expect(await get(`/token/${keptId}`, someuser)).toMatchObject(gone);
    expect(await request(`${api}/token/`, { method: "PUT", headers: someuser })).toMatchObject({ status: 405, body: { message: "The method is not allowed for the requested URL." } });
    // Unauthenticated, a method Specter does not serve is still a 401 first, as there.
    expect((await request(`${api}/token/`, { method: "PUT" })).status).toBe(401);
  });

  it("answers an unknown path under /api/ with a JSON 404, never the sign-in page", async () => {
    for (const path of ["/api/v1alpha/nothing", "/api/v1alpha/wallets/missing/psbt", "/api", "/api/nothing/at/all"]) {
      const response = await request(`${server.url}${path}`, { headers: someuser });
      expect(response.status, path).toBe(404);
      expect(response.body.message, path).toMatch(/^The requested URL was not found on the server/);
    }
    const unknownV1alpha = await request(`${server.url}/v1alpha/nothing`);
    expect(unknownV1alpha.status).toBe(404);
    expect(unknownV1alpha.body.message).toBe("No such endpoint: GET /v1alpha/nothing");
  });

  it("answers a client that wants JSON with a JSON 404 on a page path, and a browser with the sign-in redirect", async () => {
    for (const accept of ["application/json", "application/json, */*;q=0.1", "application/json, text/plain, */*"]) {
      const response = await fetch(`${server.url}/tokens`, { headers: { Accept: accept }, redirect: "manual" });
      expect(response.status, accept).toBe(404);
      expect(await response.json()).toEqual({ message: "No such endpoint: GET /tokens" });
    }
    for (const accept of ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "*/*"]) {
      const response = await fetch(`${server.url}/tokens`, { headers: { Accept: accept }, redirect: "manual" });
      expect(response.status, accept).toBe(302);
      expect(response.headers.get("location")).toBe("/login");
    }
  });
});
