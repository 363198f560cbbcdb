import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCaller, createContextInner, loadConfig, openServices } from "@tokensmith/api";
import { verifyPassword } from "@tokensmith/core";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
let database: TestDatabase;
let env: Record<string, string>;

beforeEach(async () => {
  database = await createTestDatabase();
  env = { PATH: process.env.PATH ?? "", DATABASE_URL: database.url, TOKENSMITH_SECRET: "s".repeat(32) };
});
afterEach(() => database.drop());

function cli(args: string[], input = "") {
  const result = spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The same database through the API, as the server would see it. */
async function withApi<T>(fn: (api: ReturnType<typeof createCaller>, userId: (name: string) => Promise<string>) => Promise<T>) {
  const opened = await openServices(loadConfig(env));
  try {
    const userId = async (name: string) => (await opened.services.db.user.findUniqueOrThrow({ where: { username: name } })).id;
    const as = async (name: string) => createCaller(createContextInner({ ...opened.services, caller: { userId: await userId(name), username: name, isAdmin: false, via: "basic" } }));
    return await fn(await as("bob"), userId);
  } finally {
    await opened.close();
  }
}

/** A dashboard session of `name`, as signing in leaves one. */
async function withSessionOf(name: string) {
  const opened = await openServices(loadConfig(env));
  try {
    const user = await opened.services.db.user.findUniqueOrThrow({ where: { username: name } });
    await opened.services.db.session.create({ data: { id: `session-of-${name}`, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  } finally {
    await opened.close();
  }
}

describe("tokensmith CLI", () => {
  it("adds a user with the password from stdin, lists and removes users", async () => {
    expect(cli(["user", "add", "bob"], "bob-password-1\n")).toMatchObject({ code: 0, out: 'Created user "bob".\n' });
    expect(cli(["user", "add", "root", "--admin"], "root-password-1")).toMatchObject({ code: 0, out: 'Created admin user "root".\n' });
    const listed = cli(["user", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^USERNAME\s+ADMIN\s+INTROSPECTS\s+TOKENS\s+CREATED\nbob\s+no\s+own\s+0\s+\S+\nroot\s+yes\s+any\s+0\s+\S+\n$/);
    const opened = await openServices(loadConfig(env));
    const bob = await opened.services.db.user.findUniqueOrThrow({ where: { username: "bob" } });
    expect(await verifyPassword("bob-password-1", bob.passwordHash)).toBe(true);
    await opened.close();
    expect(cli(["user", "remove", "bob"])).toMatchObject({ code: 0, out: 'Deleted user "bob" and revoked 0 token(s).\n' });
    expect(cli(["user", "list"]).out).not.toMatch(/bob/);
  });

  it("pauses and resumes a token by the id's start", async () => {
    cli(["user", "add", "bob"], "bob-password-1");
    const token = await withApi((api) => api.token.create({ description: "bob's paused", life: "1 day" }));
    expect(cli(["token", "pause", token.id.slice(0, 8)])).toMatchObject({ code: 0, out: `Paused token ${token.id} (bob's paused) of bob.\n` });
    expect(await withApi(async (api) => (await api.token.get({ id: token.id })).pausedAt)).not.toBeNull();
    expect(cli(["token", "pause", token.id])).toMatchObject({ code: 1, err: expect.stringMatching(/already paused/) });
    expect(cli(["token", "resume", token.id])).toMatchObject({ code: 0, out: `Resumed token ${token.id} (bob's paused) of bob.\n` });
    expect(await withApi(async (api) => (await api.token.get({ id: token.id })).pausedAt)).toBeNull();
  });

  it("lists tokens with their state, by user and by state, and revokes one by the id's start so the API refuses it", async () => {
    cli(["user", "add", "bob"], "bob-password-1");
    cli(["user", "add", "carol"], "carol-password-1");
    const [token, other] = await withApi(async (api) => [
      await api.token.create({ description: "bob's ci", life: "1 day" }),
      await api.token.create({ description: "bob's backup", life: "1 day" }),
    ]);
    await withApi((api) => api.token.create({ description: "bob's job", life: "1 day", maxUses: 3 }));
    const all = cli(["token", "list"]);
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/^ID\s+USER\s+STATE\s+EXPIRES\s+USES LEFT\s+DESCRIPTION\n/);
    // Uses left of a use-limited token; "-" for none.
    expect(all.out).toMatch(new RegExp(`${token.id}\\s+bob\\s+valid\\s+\\S+\\s+-\\s+bob's ci\\n`));
    expect(all.out).toMatch(/bob\s+valid\s+\S+\s+3\/3\s+bob's job\n/);
    expect(cli(["token", "list", "--user", "carol"]).out).toBe("No active tokens.\n");
    // The 8 characters the dashboard shows are enough.
    const revoked = cli(["token", "revoke", token.id.slice(0, 8).toUpperCase()]);
    expect(revoked).toMatchObject({ code: 0, out: `Revoked token ${token.id} (bob's ci) of bob.\n` });
    await withApi(async (api) => {
      await expect(api.token.get({ id: token.id })).rejects.toThrow("Token does not exist");
    });
    expect(cli(["token", "revoke", token.id.slice(0, 8)])).toMatchObject({ code: 1, err: expect.stringMatching(new RegExp(`^error: Token ${token.id} \\(bob's ci\\) was already revoked, at \\d{4}-`)) });
    expect(cli(["token", "list"]).out).not.toContain(token.id);
    expect(cli(["token", "list", "--state", "revoked"]).out).toMatch(new RegExp(`${token.id}\\s+bob\\s+revoked\\s`));
    expect(cli(["token", "list", "--state", "inactive"]).out).toContain(token.id);
    expect(cli(["token", "list", "--state", "all"]).out).toContain(other.id);
    expect(cli(["token", "list", "--state", "sideways"])).toMatchObject({ code: 2, err: expect.stringMatching(/--state must be one of active, inactive/) });
  });

  it("refuses an id start that several tokens share, in words, naming them", async () => {
    cli(["user", "add", "bob"], "bob-password-1");
    const twins = ["abcd1234-0000-4000-8000-000000000001", "abcd1234-0000-4000-8000-000000000002"];
    const opened = await openServices(loadConfig(env));
    try {
      const bob = await opened.services.db.user.findUniqueOrThrow({ where: { username: "bob" } });
      const now = Date.now();
      for (const [i, id] of twins.entries()) {
        await opened.services.db.accessToken.create({
          data: { id, userId: bob.id, description: `twin ${i + 1}`, lifeSeconds: 86_400, tokenHash: `hash-${i}`, createdAt: new Date(now), expiresAt: new Date(now + 86_400_000) },
        });
      }
    } finally {
      await opened.close();
    }
    const refused = cli(["token", "revoke", "abcd1234"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `error: "abcd1234" is the start of 2 tokens' ids; give more of the id:\n  ${twins[0]}  bob  twin 1\n  ${twins[1]}  bob  twin 2\n`,
    );
    expect(cli(["token", "revoke", "abcd1234-0000-4000-8000-000000000002"])).toMatchObject({ code: 0, out: `Revoked token ${twins[1]} (twin 2) of bob.\n` });
    expect(cli(["token", "revoke", "abcd1234"])).toMatchObject({ code: 1, err: expect.stringMatching(/is the start of 2 tokens' ids/) });
    expect(cli(["token", "revoke", "ffffffff"])).toMatchObject({ code: 1, err: 'error: No token\'s id starts with "ffffffff"\n' });
    expect(cli(["token", "revoke", "xyz"])).toMatchObject({ code: 1, err: expect.stringMatching(/must be the start of a token id/) });
  });

  it("resets a password from standard input: the old one stops, the new one works, sessions end — the way back in for a lost admin password", async () => {
    expect(cli(["user", "add", "root", "--admin"], "forgotten-password-1").code).toBe(0);
    await withSessionOf("root");
    const reset = cli(["user", "reset-password", "root"], "remembered-password-2\n");
    expect(reset).toMatchObject({ code: 0, out: 'New password set for "root"; their dashboard sessions have ended (their tokens still work).\n' });
    const opened = await openServices(loadConfig(env));
    try {
      const root = await opened.services.db.user.findUniqueOrThrow({ where: { username: "root" } });
      expect(await verifyPassword("remembered-password-2", root.passwordHash)).toBe(true);
      expect(await verifyPassword("forgotten-password-1", root.passwordHash)).toBe(false);
      expect(await opened.services.db.session.count({ where: { userId: root.id } })).toBe(0);
      const audit = await opened.services.db.auditEvent.findFirstOrThrow({ where: { action: "user.password_reset" } });
      expect(audit).toMatchObject({ username: "cli", detail: JSON.stringify({ user: "root" }) });
    } finally {
      await opened.close();
    }
    expect(cli(["user", "reset-password", "ghost"], "whatever-password-1")).toMatchObject({ code: 1, err: 'error: No user named "ghost"\n' });
    expect(cli(["user", "reset-password", "root"], "short")).toMatchObject({ code: 1, err: expect.stringMatching(/password: must be at least 8 characters/) });
  });

  it("lists the signing keys and starts a rotation", async () => {
    cli(["user", "add", "bob"], "bob-password-1");
    await withApi((api) => api.token.create({ description: "signed", life: "1 day" }));
    const before = cli(["keys", "list"]);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/^KID\s+ALG\s+STATE\s+LIVE TOKENS\s+CREATED\s+NEXT CHANGE\n\S+\s+ES256\s+current\s+1\s+\S+\s+-\n$/);
    const rotated = cli(["keys", "rotate"]);
    expect(rotated.code).toBe(0);
    expect(rotated.out).toMatch(/^Published key \S+ \(ES256\); it signs new tokens from \d{4}-\d\d-\d\dT/);
    const after = cli(["keys", "list"]).out.trim().split("\n");
    expect(after).toHaveLength(3);
    expect(after[2]).toMatch(/\s+ES256\s+next\s+0\s+\S+\s+signs from \S+$/);
  });

  it.each([
    [[], 2, /Usage: tokensmith/],
    [["frob"], 2, /unknown command: frob/],
    [["user", "add"], 2, /takes exactly one NAME/],
    [["token", "list", "--user"], 2, /--user needs a value/],
    [["user", "remove", "ghost"], 1, /^error: No user named "ghost"\n$/],
    [["token", "revoke", "not-an-id"], 1, /prefix: must be the start of a token id/],
  ])("fails clearly for %j", (args, code, message) => {
    const result = cli(args as string[]);
    expect(result.code).toBe(code);
    expect(result.err + result.out).toMatch(message);
    expect(result.err).not.toMatch(/\n\s+at /);
  });

  it("lets an administrator grant and take back introspection of any token; names in any case are the user", async () => {
    cli(["user", "add", "ResourceServer"], "rs-password-1");
    expect(cli(["user", "introspect", "resourceserver", "any"])).toMatchObject({ code: 0, out: 'User "ResourceServer" may introspect any user\'s tokens.\n' });
    expect(cli(["user", "list"]).out).toMatch(/\nResourceServer\s+no\s+any\s/);
    expect(cli(["user", "introspect", "ResourceServer", "own"])).toMatchObject({ code: 0, out: 'User "ResourceServer" may introspect its own tokens only.\n' });
    expect(cli(["user", "introspect", "ResourceServer", "all"])).toMatchObject({ code: 2, err: expect.stringMatching(/takes a NAME and any or own/) });
    expect(cli(["user", "introspect", "ghost", "any"])).toMatchObject({ code: 1, err: 'error: No user named "ghost"\n' });
    expect(cli(["user", "add", "RESOURCESERVER"], "rs-password-2")).toMatchObject({ code: 1, err: expect.stringMatching(/A user named "ResourceServer" already exists/) });
  });

  it("prints what the database holds without letting it drive the terminal", async () => {
    cli(["user", "add", "bob"], "bob-password-1");
    const token = await withApi((api) => api.token.create({ description: "plain", life: "1 day" }));
    // Written behind the API's back, as an earlier release (which took C1) or a hand-made row could.
    const stored = "ci\u001b]0;owned\u0007\u009b2J\u202eexe.txt\nFAKE ROW";
    const opened = await openServices(loadConfig(env));
    await opened.services.db.accessToken.update({ where: { id: token.id }, data: { description: stored } });
    await opened.close();
    const listed = cli(["token", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(listed.out).toContain(String.raw`ci\x1b]0;owned\x07\x9b2J\u202eexe.txt\x0aFAKE ROW`);
    // One header and one row: the stored newline forged none.
    expect(listed.out.trim().split("\n")).toHaveLength(2);
  });

  it("service accounts: add, manage, issue a token (shown once), list; policies set, enforced and their violations listed", () => {
    cli(["user", "add", "bob"], "bob-password-1");
    // Each command is a process of its own: few of them, every one asserting.
    expect(cli(["service-account", "add", "ci-bot", "--description", "deploys"])).toMatchObject({ code: 0, out: 'Created service account "ci-bot".\n' });
    expect(cli(["service-account", "manage", "ci-bot", "bob"])).toMatchObject({ code: 0, out: 'Managers of "ci-bot": bob.\n' });
    const issued = cli(["service-account", "token", "ci-bot", "--description", "deploy", "--life", "1 day", "--endpoint", "POST /api/deploy"]);
    expect(issued.code).toBe(0);
    expect(issued.out).toMatch(/^Token \S+ for "ci-bot" \(expires \S+\); shown once:\neyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(cli(["service-account", "list"]).out).toMatch(/\nci-bot\s+bob\s+1\s+\S+\s+deploys\n$/);
    expect(cli(["policy", "set", "--account", "ci-bot", "--max-life", "1 hour", "--require-endpoints", "yes"]).code).toBe(0);
    expect(cli(["service-account", "token", "ci-bot", "--description", "d", "--life", "2 hours", "--endpoint", "GET /x"])).toMatchObject({
      code: 1,
      err: 'error: the token policy of "ci-bot" allows a lifetime of at most 1 hour (this one: 2 hours)\n',
    });
    const violations = cli(["policy", "violations"]);
    expect(violations.out).toMatch(/ci-bot \(service\)\s+deploy\s+\S+\s+the token policy of "ci-bot" allows a lifetime of at most 1 hour \(this one: 1 day\)\n$/);
  });

  it("refuses a short password and a bad username", () => {
    expect(cli(["user", "add", "dave"], "short")).toMatchObject({ code: 1, err: expect.stringMatching(/password: must be at least 8 characters/) });
    expect(cli(["user", "add", "bad name"], "long-enough-1")).toMatchObject({ code: 1, err: expect.stringMatching(/username: must be 1 to 64/) });
    expect(cli(["user", "add", "bad/name"], "long-enough-1")).toMatchObject({ code: 1, err: expect.stringMatching(/username: must be 1 to 64/) });
  });
});
