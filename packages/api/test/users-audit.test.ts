import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../src/root.js";
import { createContextInner } from "../src/context/index.js";
import { code, createTestEnv, type TestEnv } from "./support.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());


describe("users (administrators only)", () => {
  it("creates, lists, resets and deletes; everyone else gets FORBIDDEN", async () => {
    const root = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice");
    const admin = env.as(root);
    expect(await code(env.as(alice).user.list())).toBe("FORBIDDEN");
    expect(await code(env.as(alice).user.create({ username: "eve", password: "password-1" }))).toBe("FORBIDDEN");

    expect(await admin.user.create({ username: "bob", password: "bob-password" })).toMatchObject({ username: "bob", isAdmin: false });
    expect(await code(admin.user.create({ username: "bob", password: "bob-password" }))).toBe("CONFLICT");
    expect(await code(admin.user.create({ username: "bad name", password: "bob-password" }))).toBe("BAD_REQUEST");
    expect(await code(admin.user.create({ username: "carol", password: "short" }))).toBe("BAD_REQUEST");
    expect((await admin.user.list()).map((u) => u.username)).toEqual(["alice", "bob", "root"]);

    await admin.user.resetPassword({ username: "bob", password: "new-bob-password" });
    const anonymous = createCaller(createContextInner(env.services));
    await expect(anonymous.auth.login({ username: "bob", password: "bob-password" })).rejects.toThrow();
    expect(await anonymous.auth.login({ username: "bob", password: "new-bob-password" })).toMatchObject({ username: "bob" });

    expect(await code(admin.user.remove({ username: "root" }))).toBe("BAD_REQUEST");
    expect(await code(admin.user.remove({ username: "nobody" }))).toBe("NOT_FOUND");
  });

  it("deleting a user revokes their tokens on the next request", async () => {
    const root = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice");
    const token = await env.as(alice).token.create({ description: "a", life: "1 hour" });
    expect(await code((await env.bearer(token.token)).token.list())).toBe("OK");
    expect(await env.as(root).user.remove({ username: "alice" })).toEqual({ username: "alice", tokensRevoked: 1 });
    expect(await code((await env.bearer(token.token)).token.list())).toBe("UNAUTHORIZED");
  });

  it("deleting a user with thousands of tokens: batches, one token.revoked each (descendants too), none twice", async () => {
    const root = await env.addUser("root", "root-password", true);
    const bob = await env.addUser("bob");
    const { db } = env.opened;
    // An admin-wide endpoint, so that events are written (the outbox keeps only what someone can receive).
    const endpointId = crypto.randomUUID();
    await db.webhookEndpoint.create({
      data: { id: endpointId, userId: root.userId, allUsers: true, url: env.services.webhooks.sealUrl(endpointId, "https://hooks.example.com/x"), events: JSON.stringify(["token.revoked"]), sealedSecret: env.services.webhooks.sealSecret(endpointId, "whsec_x") },
    });
    const now = Date.now();
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      id: crypto.randomUUID(), userId: bob.userId, description: `t${i}`, lifeSeconds: 3600, tokenHash: crypto.randomUUID(), createdAt: new Date(now), expiresAt: new Date(now + 3_600_000),
    }));
    // A child of the first token, listed wherever the database puts it: its parent's batch ends it either way.
    rows.push({ ...rows[0]!, id: crypto.randomUUID(), tokenHash: crypto.randomUUID(), description: "child", parentId: rows[0]!.id } as (typeof rows)[number]);
    for (let i = 0; i < rows.length; i += 500) await db.accessToken.createMany({ data: rows.slice(i, i + 500) });
    expect(await env.as(root).user.remove({ username: "bob" })).toEqual({ username: "bob", tokensRevoked: 2501 });
    const events = await db.webhookEvent.findMany({ where: { type: "token.revoked" }, select: { tokenId: true, payload: true } });
    expect(events.map((e) => e.tokenId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(JSON.parse(events[0]!.payload).data).toMatchObject({ username: "bob", reason: "user_deleted" });
  });

  it("keeps users apart: another user's token is NOT_FOUND, never FORBIDDEN", async () => {
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    const bobs = await env.as(bob).token.create({ description: "b", life: "1 hour" });
    const aliceToken = await env.as(alice).token.create({ description: "a", life: "1 hour" });
    const asAlice = await env.bearer(aliceToken.token);
    expect(await code(asAlice.token.get({ id: bobs.id }))).toBe("NOT_FOUND");
    expect(await code(asAlice.token.revoke({ id: bobs.id }))).toBe("NOT_FOUND");
    expect(await code(asAlice.token.rotate({ id: bobs.id }))).toBe("NOT_FOUND");
    expect((await asAlice.token.list()).map((t) => t.id)).toEqual([aliceToken.id]);
  });

  it("lets administrators list and revoke anyone's tokens", async () => {
    const root = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice");
    const token = await env.as(alice).token.create({ description: "a", life: "1 hour" });
    expect((await env.as(root).admin.tokens({ username: "alice" })).map((t) => [t.id, t.username])).toEqual([[token.id, "alice"]]);
    expect(await code(env.as(root).admin.tokens({ username: "ghost" }))).toBe("NOT_FOUND");
    await env.as(root).admin.revokeToken({ id: token.id });
    expect(await code((await env.bearer(token.token)).token.list())).toBe("UNAUTHORIZED");
    const revoked = await env.opened.db.auditEvent.findFirstOrThrow({ where: { action: "token.revoke", tokenId: token.id } });
    expect(revoked).toMatchObject({ username: "root", detail: JSON.stringify({ byAdmin: true, owner: "alice" }) });
    expect(await code(env.as(alice).admin.tokens({}))).toBe("FORBIDDEN");
  });
});

describe("audit log", () => {
  it("records create, rotate, revoke and sign-ins, newest first, paginated, own events only for users", async () => {
    const root = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice", "alice-password");
    const anonymous = createCaller(createContextInner({ ...env.services, request: { ip: "203.0.113.9", userAgent: "test-agent" } }));
    await expect(anonymous.auth.login({ username: "alice", password: "wrong-password" })).rejects.toThrow();
    await anonymous.auth.login({ username: "alice", password: "alice-password" });
    const token = await env.as(alice).token.create({ description: "a", life: "1 hour" });
    const rotated = await env.as(alice).token.rotate({ id: token.id });
    await env.as(alice).token.revoke({ id: rotated.id });
    await env.as(root).token.create({ description: "root's", life: "1 hour" });

    const mine = await env.as(alice).audit.list({ limit: 10 });
    expect(mine.events.map((e) => e.action)).toEqual([
      "token.revoke",
      "token.rotate",
      "token.create",
      "auth.login_success",
      "auth.login_failure",
    ]);
    expect(mine.events.at(-1)).toMatchObject({ username: "alice", ip: "203.0.113.9", userAgent: "test-agent" });
    expect(mine.events[1]).toMatchObject({ tokenId: token.id, detail: { newTokenId: rotated.id, overlapSeconds: 0 } });

    const page1 = await env.as(root).audit.list({ limit: 4 });
    expect(page1.events).toHaveLength(4);
    expect(page1.events[0]!.username).toBe("root");
    const page2 = await env.as(root).audit.list({ limit: 4, cursor: page1.nextCursor! });
    expect(page2.events.map((e) => e.id)).toEqual([page1.events[3]!.id - 1, page1.events[3]!.id - 2]);
    expect(page2.nextCursor).toBeNull();
  });
});
