import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, TEST_MASTER_SECRET, type RunningServer } from "./support/server.js";
import { count, sql } from "./support/sql.js";
import { importSpecter, SPECTER_FIXTURE, specterSign, specterUsers, writeFiles } from "./support/specter.js";

/**
 * `tokensmith import specter` on a users.json made by Specter's own code (fixtures/specter) and on
 * one made at test time as Specter makes it (short-lived tokens), then the built server: imported
 * users sign in with their Specter passwords (upgraded to scrypt on the way), their tokens work
 * over Bearer on both mounts until they expire or are revoked, and nothing else Specter's secret
 * can sign gets in.
 */
type SpecterFileUser = { id: string; username: string; jwt_tokens: Record<string, { jwt_token: string; jwt_token_description: string }> };
const fixture = JSON.parse(fs.readFileSync(path.join(SPECTER_FIXTURE, "users.json"), "utf8")) as SpecterFileUser[];
const fixtureSecret = fs.readFileSync(path.join(SPECTER_FIXTURE, "secret"), "utf8").trim();
const tokenOf = (username: string, description: string) => {
  const [id, entry] = Object.entries(fixture.find((u) => u.username === username)!.jwt_tokens).find(([, t]) => t.jwt_token_description === description)!;
  return { id, token: entry.jwt_token };
};

let database: TestDatabase;
let env: Record<string, string>;
let server: RunningServer;
const fixtureArgs = ["--users", path.join(SPECTER_FIXTURE, "users.json"), "--secret-file", path.join(SPECTER_FIXTURE, "secret")];

beforeAll(async () => {
  database = await testDatabase();
  env = { DATABASE_URL: database.url, ...(database.kind === "postgres" ? { TOKENSMITH_SECRET: TEST_MASTER_SECRET } : {}) };
  // A running Tokensmith with its own admin "admin": Specter's admin comes in under another name.
  server = await startServer({ ...env, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const bearer = (token: string) => `Bearer ${token}`;
const onBothMounts = async (token: string) => [
  (await request(`${server.url}/v1alpha/token/self`, { auth: bearer(token) })).status,
  (await request(`${server.url}/api/v1alpha/token/`, { auth: bearer(token) })).status,
];

describe("importing Specter's users.json into a running server", () => {
  it("refuses a name Tokensmith has already, in words, and imports nothing", async () => {
    const run = importSpecter(env, fixtureArgs);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`Specter user "admin" has the name of a Tokensmith user already: import it under another one with --rename "admin"=NEW_NAME`);
    expect(run.err).toContain("Nothing was imported.");
    expect(await count(database, `SELECT count(*) AS n FROM "User"`)).toBe(1);
  });

  it("imports users and live tokens, says what it skipped and to delete the file", async () => {
    const run = importSpecter(env, [...fixtureArgs, "--rename", "admin=specter-admin"]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("Imported 3 user(s) and 4 token(s) from Specter.");
    expect(run.out).toContain(`user specter-admin (administrator) (Specter's "admin")`);
    expect(run.out).toContain(`alice: "alice one second" (${tokenOf("alice", "alice one second").id}) has expired`);
    expect(run.out).toContain(`specter-admin still had Specter's default password "admin": it was not carried over.`);
    expect(run.out).toMatch(/Delete .*users\.json now, and every copy of it/);
    // One audit event per user and per token.
    expect(await count(database, `SELECT count(*) AS n FROM "AuditEvent" WHERE "action" = 'user.import'`)).toBe(3);
    expect(await count(database, `SELECT count(*) AS n FROM "AuditEvent" WHERE "action" = 'token.import'`)).toBe(4);
  });

  it("keeps no token in the clear: only SHA-256 hashes, and the secret sealed", async () => {
    const dump = JSON.stringify([
      ...(await sql(database, `SELECT * FROM "AccessToken"`)),
      ...(await sql(database, `SELECT * FROM "SigningKey"`)),
      ...(await sql(database, `SELECT * FROM "User"`)),
      ...(await sql(database, `SELECT * FROM "AuditEvent"`)),
    ]);
    for (const user of fixture) for (const t of Object.values(user.jwt_tokens)) expect(dump).not.toContain(t.jwt_token.split(".")[2]);
    expect(dump).not.toContain(fixtureSecret);
    // Specter's PBKDF2 digests are kept only wrapped in scrypt.
    const raw = fs.readFileSync(path.join(SPECTER_FIXTURE, "users.json"), "utf8");
    for (const digest of raw.match(/"pwdhash": "([^"]+)"/g)!) expect(dump).not.toContain(digest.slice(12, -1));
  });

  it("signs the users in with their Specter passwords, and upgrades the hash to scrypt", async () => {
    const [before] = await sql<{ passwordHash: string }>(database, `SELECT "passwordHash" FROM "User" WHERE "username" = 'alice'`);
    expect(before!.passwordHash).toMatch(/^specter-pbkdf2\$10000\$/);
    expect((await request(`${server.url}/api/v1alpha/token/`, { auth: basicAuth("alice", "wrong-password") })).status).toBe(401);
    const listed = await request(`${server.url}/api/v1alpha/token/`, { auth: basicAuth("alice", "alice-password-1") });
    expect(listed.status).toBe(200);
    expect(Object.values(listed.body.jwt_tokens).map((t: any) => t.jwt_token_description).sort()).toEqual(["alice backup job", "alice café dashboard"]);
    const [after] = await sql<{ passwordHash: string }>(database, `SELECT "passwordHash" FROM "User" WHERE "username" = 'alice'`);
    expect(after!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    // The dashboard's sign-in takes the same rule (bob has not signed in yet: still Specter's hash).
    const login = await request(`${server.url}/api/trpc/auth.login`, {
      method: "POST",
      body: { username: "bob", password: "bob-password-1" },
      headers: { Origin: server.url },
    });
    expect(login.status).toBe(200);
    expect((await sql<{ passwordHash: string }>(database, `SELECT "passwordHash" FROM "User" WHERE "username" = 'bob'`))[0]!.passwordHash).toMatch(/^scrypt\$/);
    expect((await request(`${server.url}/api/v1alpha/token/`, { auth: basicAuth("bob", "bob-password-1") })).status).toBe(200);
    // Specter's default password was not carried over.
    expect((await request(`${server.url}/api/v1alpha/token/`, { auth: basicAuth("specter-admin", "admin") })).status).toBe(401);
  });

  it("accepts the imported tokens over Bearer on both mounts, as their own users", async () => {
    for (const [user, description] of [["alice", "alice backup job"], ["alice", "alice café dashboard"], ["bob", "bob monitoring"], ["admin", "admin ci"]] as const) {
      const { id, token } = tokenOf(user, description);
      expect(await onBothMounts(token), description).toEqual([200, 200]);
      const self = await request(`${server.url}/v1alpha/token/self`, { auth: bearer(token) });
      expect(self.body).toMatchObject({ jwt_token_id: id, username: user === "admin" ? "specter-admin" : user });
    }
    expect(await onBothMounts(tokenOf("alice", "alice one second").token)).toEqual([401, 401]);
  });

  it("refuses what Specter's secret can sign but was never imported: forged ids, other users, alg none", async () => {
    const backup = tokenOf("alice", "alice backup job");
    const forged = [
      // The id of a live imported token, signed anew: not the token that was imported.
      specterSign(fixtureSecret, { username: "alice", jwt_token_id: backup.id, jwt_token_description: "alice backup job" }, { expIn: 3600 }),
      // Bob's token id, claimed for alice.
      specterSign(fixtureSecret, { username: "alice", jwt_token_id: tokenOf("bob", "bob monitoring").id }, { expIn: 3600 }),
      // Our claims (sub, jti) under Specter's secret: it verifies Specter-shaped tokens only.
      specterSign(fixtureSecret, { username: "alice", sub: "x", jti: backup.id, jwt_token_id: backup.id }, { expIn: 3600 }),
      // No signature at all.
      specterSign(fixtureSecret, { username: "alice", jwt_token_id: backup.id }, { expIn: 3600, alg: "none" }),
      // The real token with its payload swapped.
      [backup.token.split(".")[0], Buffer.from(JSON.stringify({ username: "bob", jwt_token_id: backup.id, exp: 4102444800, iat: 1 })).toString("base64url"), backup.token.split(".")[2]].join("."),
    ];
    for (const token of forged) expect(await onBothMounts(token)).toEqual([401, 401]);
  });

  it("is idempotent: a second run adds nothing, and a revoked token stays revoked", async () => {
    const { id, token } = tokenOf("bob", "bob monitoring");
    expect((await request(`${server.url}/api/v1alpha/token/${id}/`, { method: "DELETE", auth: basicAuth("bob", "bob-password-1") })).status).toBe(200);
    expect(await onBothMounts(token)).toEqual([401, 401]);
    const before = await sql(database, `SELECT "id", "userId", "tokenHash", "revokedAt" FROM "AccessToken" ORDER BY "id"`);
    const again = importSpecter(env, [...fixtureArgs, "--rename", "admin=specter-admin"]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("Imported 0 user(s) and 0 token(s) from Specter.");
    expect(again.out).toContain("Already imported by an earlier run, left as they are: 3 user(s), 4 token(s).");
    expect(await sql(database, `SELECT "id", "userId", "tokenHash", "revokedAt" FROM "AccessToken" ORDER BY "id"`)).toEqual(before);
    expect(await onBothMounts(token)).toEqual([401, 401]);
    expect(await count(database, `SELECT count(*) AS n FROM "User"`)).toBe(4);
  });

  it("keeps a freshly made Specter token working until it expires, then refuses it", { timeout: 90_000 }, async () => {
    // Long enough to outlast starting the CLI on a loaded machine; the wait below follows its exp.
    const made = specterUsers(fixtureSecret, [{ id: "carol", username: "carol", password: "carol-password-1", is_admin: false, tokens: [{ description: "brief", life: 30 }, { description: "day", life: 86_400 }] }]);
    const files = writeFiles({ "users.json": JSON.stringify(made.users), secret: `${fixtureSecret}\n` });
    const run = importSpecter(env, ["--users", files.path("users.json"), "--secret-file", files.path("secret")]);
    expect(run.out).toContain("Imported 1 user(s) and 2 token(s) from Specter.");
    const brief = made.tokens["carol/brief"]!.token;
    expect(await onBothMounts(brief)).toEqual([200, 200]);
    const { exp } = JSON.parse(Buffer.from(brief.split(".")[1]!, "base64url").toString()) as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp * 1000 - Date.now()) + 500));
    expect(await onBothMounts(brief)).toEqual([401, 401]);
    expect(await onBothMounts(made.tokens["carol/day"]!.token)).toEqual([200, 200]);
    fs.rmSync(files.dir, { recursive: true, force: true });
  });

  it("refuses another Specter secret while the first one's tokens live", async () => {
    const made = specterUsers("another-secret", [{ id: "dave", username: "dave", password: "dave-password-1", is_admin: false, tokens: [{ description: "x", life: 600 }] }]);
    const files = writeFiles({ "users.json": JSON.stringify(made.users), secret: "another-secret" });
    const run = importSpecter(env, ["--users", files.path("users.json"), "--secret-file", files.path("secret")]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/already holds another Specter secret, which \d+ imported token\(s\) still need/);
    expect(await count(database, `SELECT count(*) AS n FROM "User" WHERE "username" = 'dave'`)).toBe(0);
    fs.rmSync(files.dir, { recursive: true, force: true });
  });
});
