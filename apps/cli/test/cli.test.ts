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
  const result = spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: "utf8", timeout: 20_000 });
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

  it("lists tokens, by user too, and revokes one so the API refuses it", async () => {
    cli(["user", "add", "bob"], "bob-password-1");
    cli(["user", "add", "carol"], "carol-password-1");
    const token = await withApi((api) => api.token.create({ description: "bob's ci", life: "1 day" }));
    await withApi((api) => api.token.create({ description: "bob's job", life: "1 day", maxUses: 3 }));
    const all = cli(["token", "list"]);
    expect(all.code).toBe(0);
    expect(all.out).toContain(token.id);
    // Uses left of a use-limited token; "-" for none.
    expect(all.out).toMatch(/bob\s+bob's ci\s+\S+\s+Valid\s+-\n/);
    expect(all.out).toMatch(/bob\s+bob's job\s+\S+\s+Valid\s+3\/3\n/);
    expect(cli(["token", "list", "--user", "carol"]).out).toBe("No tokens.\n");
    expect(cli(["token", "revoke", token.id])).toMatchObject({ code: 0, out: `Revoked token ${token.id}.\n` });
    await withApi(async (api) => {
      await expect(api.token.get({ id: token.id })).rejects.toThrow("Token does not exist");
    });
    expect(cli(["token", "revoke", token.id])).toMatchObject({ code: 1, err: "error: Token does not exist\n" });
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
    [["token", "revoke", "not-an-id"], 1, /id: must be a UUID/],
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

  it("refuses a short password and a bad username", () => {
    expect(cli(["user", "add", "dave"], "short")).toMatchObject({ code: 1, err: expect.stringMatching(/password: must be at least 8 characters/) });
    expect(cli(["user", "add", "bad name"], "long-enough-1")).toMatchObject({ code: 1, err: expect.stringMatching(/username: must be 1 to 64/) });
    expect(cli(["user", "add", "bad/name"], "long-enough-1")).toMatchObject({ code: 1, err: expect.stringMatching(/username: must be 1 to 64/) });
  });
});
