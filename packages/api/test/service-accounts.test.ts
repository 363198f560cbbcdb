import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashPassword, sha256Hex } from "@tokensmith/core";
import { code, createTestEnv, refusal, type TestEnv } from "./support.js";
import { createRequestContext } from "../src/context/index.js";
import { createCaller } from "../src/root.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());


async function setUp() {
  const admin = env.as(await env.addUser("root", "root-password-1", true));
  await env.addUser("bob", "bob-password-1");
  await env.addUser("carol", "carol-password-1");
  const ci = await admin.serviceAccount.create({ name: "ci-bot", description: "deploys from CI" });
  return { admin, ci, bob: await env.basic("bob", "bob-password-1"), carol: await env.basic("carol", "carol-password-1") };
}

describe("service accounts", () => {
  it("never sign in: not the dashboard, not HTTP Basic, not with the stored hash, not with a session row; no password can be set", async () => {
    const { admin, ci } = await setUp();
    const stored = await env.opened.db.user.findUniqueOrThrow({ where: { id: ci.id } });
    expect(stored.accountType).toBe("service");
    // From a new address each time: what is refused is the account, not a guess limit.
    for (const [i, password] of ["anything-at-all", stored.passwordHash].entries()) {
      expect(await code(env.anonymous(`10.0.1.${i}`).auth.login({ username: "ci-bot", password }))).toBe("UNAUTHORIZED");
      expect(await code((await env.basic("CI-BOT", password, `10.0.2.${i}`)).token.list())).toBe("UNAUTHORIZED");
    }
    // Even with a real hash in its row (written straight to the database): the account type decides.
    await env.opened.db.user.update({ where: { id: ci.id }, data: { passwordHash: await hashPassword("a-real-password-1") } });
    expect(await code(env.anonymous("10.0.3.1").auth.login({ username: "ci-bot", password: "a-real-password-1" }))).toBe("UNAUTHORIZED");
    expect(await code((await env.basic("ci-bot", "a-real-password-1", "10.0.3.2")).token.list())).toBe("UNAUTHORIZED");
    expect(await refusal(admin.user.resetPassword({ username: "ci-bot", password: "a-new-password-1" }))).toMatch(/^BAD_REQUEST: .*service account/);
    // A session row for it (a copy of the database edited, an older release): it opens nothing.
    await env.opened.db.session.create({ data: { id: sha256Hex("forged-cookie"), userId: ci.id, expiresAt: new Date(Date.now() + 3_600_000) } });
    const bySession = createCaller(await createRequestContext(env.services, { headers: { cookie: "tokensmith_session=forged-cookie" } }));
    expect(await code(bySession.token.list())).toBe("UNAUTHORIZED");
  });

  it("an administrator or a named manager issues its tokens (owned by it, the issuer audited); others, tokens and ex-managers cannot", async () => {
    const { admin, bob, carol } = await setUp();
    const input = { name: "ci-bot", description: "deploy", life: "1 day" };
    expect(await code(bob.serviceAccount.issueToken(input))).toBe("NOT_FOUND");
    await admin.serviceAccount.addManager({ name: "ci-bot", manager: "bob" });
    expect(await code(bob.serviceAccount.addManager({ name: "ci-bot", manager: "carol" }))).toBe("FORBIDDEN");
    const issued = await bob.serviceAccount.issueToken(input);
    const row = await env.opened.db.accessToken.findUniqueOrThrow({ where: { id: issued.id }, include: { user: true } });
    expect(row.user.username).toBe("ci-bot");
    expect(row.parentId).toBeNull();
    const audit = await env.opened.db.auditEvent.findFirstOrThrow({ where: { action: "token.create", tokenId: issued.id } });
    expect(audit.username).toBe("ci-bot");
    expect(JSON.parse(audit.detail!).issuedBy).toMatchObject({ username: "bob" });
    // Its token works as the account; an account's token is never an administrator's.
    const asCi = await env.bearer(issued.token);
    expect(await asCi.token.self()).toMatchObject({ username: "ci-bot" });
    expect(await code(asCi.user.list())).toBe("FORBIDDEN");
    expect((await bob.serviceAccount.tokens({ name: "ci-bot" })).map((t) => t.id)).toEqual([issued.id]);
    expect(await code(carol.serviceAccount.issueToken(input))).toBe("NOT_FOUND");
    expect(await code(carol.serviceAccount.tokens({ name: "ci-bot" }))).toBe("NOT_FOUND");
    expect(await code(carol.serviceAccount.revokeToken({ name: "ci-bot", id: issued.id }))).toBe("NOT_FOUND");
    // A manager's token (even one that may call anything) cannot mint the account's tokens.
    const bobsToken = await bob.token.create({ description: "bob's", life: "1 hour" });
    expect(await refusal((await env.bearer(bobsToken.token)).serviceAccount.issueToken(input))).toMatch(/^FORBIDDEN: .*password/);
    // The role taken away: refused on the next call.
    await admin.serviceAccount.removeManager({ name: "ci-bot", manager: "bob" });
    expect(await code(bob.serviceAccount.issueToken(input))).toBe("NOT_FOUND");
    expect(await code(bob.serviceAccount.revokeToken({ name: "ci-bot", id: issued.id }))).toBe("NOT_FOUND");
    // A person is not a service account: no issuing tokens for carol through this door.
    expect(await code(admin.serviceAccount.issueToken({ ...input, name: "carol" }))).toBe("NOT_FOUND");
    expect(await code(admin.serviceAccount.addManager({ name: "ci-bot", manager: "ci-bot" }))).toBe("NOT_FOUND");
  });

  it("its tokens outlive the person who issued them; an administrator revokes them", async () => {
    const { admin, bob } = await setUp();
    await admin.serviceAccount.addManager({ name: "ci-bot", manager: "bob" });
    const issued = await bob.serviceAccount.issueToken({ name: "ci-bot", description: "deploy", life: "1 day" });
    await admin.user.remove({ username: "bob" });
    expect(await (await env.bearer(issued.token)).token.self()).toMatchObject({ username: "ci-bot" });
    expect((await admin.serviceAccount.list())[0]).toMatchObject({ name: "ci-bot", managers: [], activeTokens: 1 });
    await admin.serviceAccount.revokeToken({ name: "ci-bot", id: issued.id });
    expect(await code((await env.bearer(issued.token)).token.self())).toBe("UNAUTHORIZED");
  });

  it("is told apart from people in the user list and the audit log; its name is taken in any case", async () => {
    const { admin } = await setUp();
    await admin.serviceAccount.issueToken({ name: "ci-bot", description: "deploy", life: "1 day" });
    const users = await admin.user.list();
    expect(users.map((u) => [u.username, u.accountType])).toEqual([
      ["bob", "person"],
      ["carol", "person"],
      ["ci-bot", "service"],
      ["root", "person"],
    ]);
    const { events } = await admin.audit.list({ action: "token.create" });
    expect(events.map((e) => [e.username, e.accountType])).toEqual([["ci-bot", "service"]]);
    expect(await code(admin.serviceAccount.create({ name: "BOB", description: "" }))).toBe("CONFLICT");
    expect(await code(admin.user.create({ username: "CI-Bot", password: "a-password-1" }))).toBe("CONFLICT");
  });

  it("is told apart from people in the administrators' token lists (the dashboard's Service badge)", async () => {
    const { admin, bob } = await setUp();
    await admin.serviceAccount.issueToken({ name: "ci-bot", description: "deploy", life: "1 day" });
    await bob.token.create({ description: "laptop", life: "1 day" });
    const kinds = (tokens: { username: string; accountType: string }[]) => tokens.map((t) => [t.username, t.accountType]).sort();
    expect(kinds((await admin.admin.searchTokens({})).tokens)).toEqual([["bob", "person"], ["ci-bot", "service"]]);
    expect(kinds(await admin.admin.tokens({}))).toEqual([["bob", "person"], ["ci-bot", "service"]]);
    expect(kinds(await admin.admin.tokensByIdPrefix({ prefix: (await admin.admin.tokens({ username: "ci-bot" }))[0]!.id.slice(0, 8) }))).toEqual([["ci-bot", "service"]]);
  });
});
