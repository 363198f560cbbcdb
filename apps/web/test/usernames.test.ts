import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * A username is one account in any case: "ADMIN" cannot be created beside "admin", and signing
 * in, HTTP Basic and every lookup by name find the same user whatever the case typed — as the
 * guess limits and the headers an upstream receives already took them.
 */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const createUser = (username: string, password = "carol-password-1") =>
  request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: ADMIN, body: { username, password } });
const login = (username: string, password: string) =>
  fetch(`${server.url}/api/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json", origin: server.url }, body: JSON.stringify({ username, password }) });

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

describe("usernames are unique regardless of case", () => {
  it("refuses ADMIN beside admin, and Carol's other spellings, with 409 naming the name that exists", async () => {
    const admin = await createUser("ADMIN", "admin-impostor-1");
    expect([admin.status, admin.body.error.message]).toEqual([409, 'A user named "admin" already exists (names are the same in any case)']);
    expect((await createUser("Carol")).status).toBe(200);
    for (const spelling of ["carol", "CAROL", "cArOl"]) expect((await createUser(spelling)).status, spelling).toBe(409);
  });

  it("one of several concurrent creates of one name in different cases wins; the others get 409", async () => {
    const statuses = (await Promise.all(["Dave", "DAVE", "dave", "dAVE", "DaVe"].map((name) => createUser(name, "dave-password-1")))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
  });

  it("refuses invisible and look-alike characters in a name: a name is ASCII letters, digits and . _ @ -", async () => {
    for (const name of ["ad\u200bmin", "ad\u200dmin", "\u202eadmin", "admin\u2066", "\uff41dmin", "\u0430dmin", "adm\u00a0in"]) {
      const answer = await createUser(name, "lookalike-password-1");
      expect(answer.status, JSON.stringify(name)).toBe(400);
    }
  });
});

describe("any case of a name is that user", () => {
  it("signs in, over the dashboard and HTTP Basic, as the one account with its own spelling", async () => {
    const signedIn = await login("CAROL", "carol-password-1");
    expect(signedIn.status).toBe(200);
    expect((await signedIn.json()).result.data).toEqual({ username: "Carol", isAdmin: false });
    const made = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: basicAuth("cArOl", "carol-password-1"), body: { jwt_token_description: "x", jwt_token_life: "1 hour" } });
    expect(made.status).toBe(201);
    const self = await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${made.body.jwt_token}` });
    expect(self.body.username).toBe("Carol");
    expect((await login("carol", "wrong-password")).status).toBe(401);
  });

  it("finds the user for the administrator's lookups by name: tokens, password reset, removal", async () => {
    const tokens = await request(`${server.url}/api/trpc/admin.tokens?input=${encodeURIComponent(JSON.stringify({ username: "CAROL" }))}`, { auth: ADMIN });
    expect(tokens.body.result.data.map((t: { username: string }) => t.username)).toEqual(["Carol"]);
    const reset = await request(`${server.url}/api/trpc/user.resetPassword`, { method: "POST", auth: ADMIN, body: { username: "carol", password: "carol-password-2" } });
    expect(reset.body.result.data).toEqual({ username: "Carol" });
    expect((await login("Carol", "carol-password-2")).status).toBe(200);
    const self = await request(`${server.url}/api/trpc/user.remove`, { method: "POST", auth: ADMIN, body: { username: "ADMIN" } });
    expect([self.status, self.body.error.message]).toEqual([400, "You cannot delete yourself"]);
    const removed = await request(`${server.url}/api/trpc/user.remove`, { method: "POST", auth: ADMIN, body: { username: "CAROL" } });
    expect(removed.body.result.data).toMatchObject({ username: "Carol", tokensRevoked: 1 });
  });
});
