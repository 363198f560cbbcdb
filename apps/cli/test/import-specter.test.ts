import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, openServices } from "@tokensmith/api";
import { createTestDatabase, importSpecter, importSpecterAsync, specterSign, specterUsers, writeFiles, type TestDatabase } from "@tokensmith/testkit";

/**
 * `tokensmith import specter` against hostile or broken files: each is refused in one line that
 * says what is wrong (exit 1), and nothing at all is written; tokens Specter itself would refuse
 * are skipped and named. Users.json files are made as Specter makes them (specter.py: PyJWT, hashlib).
 */
const SECRET = "specter-secret-for-cli-tests";
let database: TestDatabase;
let env: Record<string, string>;
let files: ReturnType<typeof writeFiles>;

beforeEach(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, TOKENSMITH_SECRET: "s".repeat(32) };
});
afterEach(async () => {
  if (files) fs.rmSync(files.dir, { recursive: true, force: true });
  await database.drop();
});

const alice = { id: "alice", username: "alice", password: "alice-password-1", is_admin: false, tokens: [{ description: "ci", life: 3600 }] };

function run(usersJson: string, extra: string[] = [], secret = SECRET) {
  files = writeFiles({ "users.json": usersJson, secret });
  return importSpecter(env, ["--users", files.path("users.json"), "--secret-file", files.path("secret"), ...extra]);
}

/** Every table an import writes, counted: all zero after a refusal. */
async function written(): Promise<number[]> {
  const opened = await openServices(loadConfig(env));
  try {
    const { db } = opened.services;
    return [await db.user.count(), await db.accessToken.count(), await db.specterImport.count(), await db.auditEvent.count(), await db.signingKey.count({ where: { alg: "HS256" } })];
  } finally {
    await opened.close();
  }
}

describe("tokensmith import specter refuses what it cannot read whole", () => {
  const good = () => specterUsers(SECRET, [alice]).users as Record<string, unknown>[];
  const cases: [string, () => string, RegExp][] = [
    ["not JSON", () => "{not json", /users\.json: is not JSON \(/],
    ["not a list", () => JSON.stringify({ users: [] }), /must be a list of users, as Specter writes users\.json/],
    ["nested without end", () => "[".repeat(200_000) + "]".repeat(200_000), /users\[0\] must be an object/],
    ["control characters in a name", () => JSON.stringify([{ ...good()[0], username: "ali\u001b[31mce" }]), /users\[0\]\.username "ali\\u001b\[31mce" contains control characters/],
    ["a name Tokensmith cannot have", () => JSON.stringify([{ ...good()[0], username: "alice smith" }]), /"alice smith" is not a Tokensmith username .* --rename "alice smith"=NEW_NAME/],
    ["a duplicate id", () => JSON.stringify([good()[0], { ...good()[0], username: "bob", jwt_tokens: {} }]), /users\[1\]\.id "alice" appears twice/],
    ["names that differ only in case", () => JSON.stringify([good()[0], { ...good()[0], id: "other", username: "ALICE", jwt_tokens: {} }]), /users\[1\]\.username "ALICE" appears twice \(letter case aside\)/],
    ["a token id that is no UUID", () => JSON.stringify([{ ...good()[0], jwt_tokens: { "../x": { jwt_token: "a.b.c" } } }]), /the id is not a UUID/],
    ["is_admin that is not a boolean", () => JSON.stringify([{ ...good()[0], is_admin: "yes" }]), /users\[0\]\.is_admin must be true or false/],
    ["a password that is no Specter hash", () => JSON.stringify([{ ...good()[0], password: { salt: "x", pwdhash: "plain" } }]), /users\[0\]\.password\.pwdhash is not a Specter password hash/],
  ];
  it.each(cases)("%s", async (_name, make, message) => {
    const result = run(make());
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.err).toContain("Nothing was imported.");
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(await written()).toEqual([0, 0, 0, 0, 0]);
  });

  it("refuses a file over 32 MiB without reading it, and a missing one", async () => {
    files = writeFiles({ secret: SECRET });
    fs.writeFileSync(files.path("users.json"), "");
    fs.truncateSync(files.path("users.json"), 32 * 1024 * 1024 + 1);
    const big = importSpecter(env, ["--users", files.path("users.json"), "--secret-file", files.path("secret")]);
    expect(big).toMatchObject({ code: 1 });
    expect(big.err).toMatch(/is larger than 33554432 bytes/);
    const missing = importSpecter(env, ["--users", files.path("nope.json"), "--secret-file", files.path("secret")]);
    expect(missing.err).toMatch(/cannot read the users file .*nope\.json: ENOENT/);
    expect(await written()).toEqual([0, 0, 0, 0, 0]);
  });

  it("skips, and names, tokens Specter itself would refuse: alg none, another secret, claims that disagree", async () => {
    const made = specterUsers(SECRET, [alice, { id: "bob", username: "bob", password: "bob-password-1", is_admin: false }]);
    const users = made.users as { username: string; jwt_tokens: Record<string, { jwt_token: string; jwt_token_description: string }> }[];
    const id = () => crypto.randomUUID();
    const bobs = users[1]!.jwt_tokens;
    const unsigned = id();
    bobs[unsigned] = { jwt_token: specterSign(SECRET, { username: "bob", jwt_token_id: unsigned }, { expIn: 600, alg: "none" }), jwt_token_description: "unsigned" };
    const foreign = id();
    bobs[foreign] = { jwt_token: specterSign("another secret", { username: "bob", jwt_token_id: foreign }, { expIn: 600 }), jwt_token_description: "foreign" };
    const elsewhere = id();
    bobs[elsewhere] = { jwt_token: specterSign(SECRET, { username: "alice", jwt_token_id: elsewhere }, { expIn: 600 }), jwt_token_description: "alice's claims" };
    const renamed = id();
    bobs[renamed] = { jwt_token: specterSign(SECRET, { username: "bob", jwt_token_id: id() }, { expIn: 600 }), jwt_token_description: "other id" };
    const result = run(JSON.stringify(users));
    expect(result.err).toBe("");
    expect(result.out).toContain("Imported 2 user(s) and 1 token(s) from Specter.");
    expect(result.out).toContain(`bob: "unsigned" (${unsigned}) does not verify with this secret`);
    expect(result.out).toContain(`bob: "foreign" (${foreign}) does not verify with this secret`);
    expect(result.out).toContain(`bob: "alice's claims" (${elsewhere}) is filed under another user than the one its claims name`);
    expect(result.out).toContain(`bob: "other id" (${renamed}) carries another id in its claims`);
    expect(await written()).toEqual([2, 1, 3, 3, 1]);
  });

  it("two imports at once write one copy: the other finds it done, or says to run it again", async () => {
    const made = specterUsers(SECRET, [alice, { id: "bob", username: "bob", password: "bob-password-1", is_admin: true }]);
    files = writeFiles({ "users.json": JSON.stringify(made.users), secret: SECRET });
    const args = ["--users", files.path("users.json"), "--secret-file", files.path("secret")];
    // Migrated first, as a running server would have it (two first starts at once are another matter).
    expect(await written()).toEqual([0, 0, 0, 0, 0]);
    const runs = await Promise.all([importSpecterAsync(env, args), importSpecterAsync(env, args)]);
    const imported = runs.filter((r) => r.out.includes("Imported 2 user(s) and 1 token(s)"));
    expect(imported).toHaveLength(1);
    const other = runs.find((r) => r !== imported[0])!;
    expect(other.out.includes("Already imported by an earlier run") || /the database changed while importing .* run it again\. Nothing was imported\./.test(other.err), other.err).toBe(true);
    expect(await written()).toEqual([2, 1, 3, 3, 1]);
  });
});
