import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRevocationLog } from "@tokensmith/db";
import { MAX_PAUSES_PER_TOKEN } from "../src/routers/token/pause.handler.js";
import { code, createTestEnv, type TestEnv } from "./support.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

/** Whether the token still authenticates (GET /v1alpha/token/self through the real Bearer path). */
const works = async (token: string) => code((await env.bearer(token)).token.self());

const feedKinds = async (tokenId: string) =>
  (await createRevocationLog(env.opened.db, () => () => {}).after(0, 1000)).filter((e) => e.tokenId === tokenId).map((e) => e.kind);

describe("a token can be paused and resumed without being revoked", () => {
  it("is refused while paused and works again once resumed, audited, announced and on the feed", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    // An endpoint that wants both events, so that the outbox keeps them.
    const endpointId = crypto.randomUUID();
    const { webhooks } = env.services;
    await env.opened.db.webhookEndpoint.create({
      data: { id: endpointId, userId: alice.userId, url: webhooks.sealUrl(endpointId, "https://hooks.example.com/x"), events: JSON.stringify(["token.paused", "token.resumed"]), sealedSecret: webhooks.sealSecret(endpointId, "whsec_x") },
    });
    const token = await api.token.create({ description: "ci", life: "1 day" });
    // Cached first: the pause must be seen by the very next request all the same.
    expect(await works(token.token)).toBe("OK");
    expect(await api.token.pause({ id: token.id })).toMatchObject({ id: token.id, pausedWithId: token.id, state: "valid" });
    expect(await works(token.token)).toBe("UNAUTHORIZED");
    expect((await api.token.get({ id: token.id })).pausedAt).not.toBeNull();
    expect(await code(api.token.pause({ id: token.id }))).toBe("CONFLICT");
    // Not escaped by a rotation: its replacement would not be paused.
    expect(await code(api.token.rotate({ id: token.id, overlap: "10 minutes" }))).toBe("CONFLICT");
    expect(await api.token.resume({ id: token.id })).toMatchObject({ id: token.id, pausedAt: null, pausedWithId: null });
    expect(await works(token.token)).toBe("OK");
    expect(await code(api.token.resume({ id: token.id }))).toBe("CONFLICT");
    expect((await api.audit.list({ action: "token.pause" })).events).toMatchObject([{ tokenId: token.id, username: "alice" }]);
    expect((await api.audit.list({ action: "token.resume" })).events).toMatchObject([{ tokenId: token.id, username: "alice" }]);
    const outbox = await env.opened.db.webhookEvent.findMany({ where: { tokenId: token.id, type: { not: "token.created" } }, orderBy: { createdAt: "asc" } });
    expect(outbox.map((e) => e.type)).toEqual(["token.paused", "token.resumed"]);
    expect(JSON.parse(outbox[0]!.payload).data).toMatchObject({ token_id: token.id, username: "alice", paused_descendants: [] });
    expect(await feedKinds(token.id)).toEqual(["pause", "resume"]);
  });

  it("takes the tokens it created along, and brings back only what its pause paused", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    const parent = await api.token.create({ description: "parent", life: "1 day" });
    const child = await (await env.bearer(parent.token)).token.create({ description: "child", life: "1 hour" });
    const grandchild = await (await env.bearer(child.token)).token.create({ description: "grandchild", life: "30 minutes" });
    await api.token.pause({ id: parent.id });
    expect([await works(parent.token), await works(child.token), await works(grandchild.token)]).toEqual(["UNAUTHORIZED", "UNAUTHORIZED", "UNAUTHORIZED"]);
    expect(await feedKinds(grandchild.id)).toEqual(["pause"]);
    // A child paused with its parent comes back with it, never alone.
    expect(await code(api.token.resume({ id: child.id }))).toBe("CONFLICT");
    await api.token.resume({ id: parent.id });
    expect([await works(parent.token), await works(child.token), await works(grandchild.token)]).toEqual(["OK", "OK", "OK"]);
    // Paused on its own, a child stays paused through its parent's pause and resume.
    await api.token.pause({ id: child.id });
    await api.token.pause({ id: parent.id });
    await api.token.resume({ id: parent.id });
    expect([await works(parent.token), await works(child.token), await works(grandchild.token)]).toEqual(["OK", "UNAUTHORIZED", "UNAUTHORIZED"]);
  });

  it("cannot resume a revoked or expired token, can revoke a paused one, and bounds the pauses of a token", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    const revoked = await api.token.create({ description: "revoked", life: "1 day" });
    await api.token.pause({ id: revoked.id });
    await api.token.revoke({ id: revoked.id });
    expect(await code(api.token.resume({ id: revoked.id }))).toBe("NOT_FOUND");
    expect(await works(revoked.token)).toBe("UNAUTHORIZED");
    const expired = await api.token.create({ description: "expired", life: "1 day" });
    await api.token.pause({ id: expired.id });
    await env.opened.db.accessToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await code(api.token.resume({ id: expired.id }))).toBe("NOT_FOUND");
    const toggled = await api.token.create({ description: "toggled", life: "1 day" });
    for (let i = 0; i < MAX_PAUSES_PER_TOKEN; i++) {
      await api.token.pause({ id: toggled.id });
      await api.token.resume({ id: toggled.id });
    }
    expect(await code(api.token.pause({ id: toggled.id }))).toBe("TOO_MANY_REQUESTS");
    expect(await feedKinds(toggled.id)).toHaveLength(2 * MAX_PAUSES_PER_TOKEN);
    expect(await works(toggled.token)).toBe("OK");
  });

  it("is the owner's or an administrator's to pause: another user's token is not found", async () => {
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    const admin = await env.addUser("root", undefined, true);
    const token = await env.as(alice).token.create({ description: "ci", life: "1 day" });
    expect(await code(env.as(bob).token.pause({ id: token.id }))).toBe("NOT_FOUND");
    expect(await code(env.as(bob).admin.pauseToken({ id: token.id }))).toBe("FORBIDDEN");
    await env.as(admin).admin.pauseToken({ id: token.id });
    expect(await works(token.token)).toBe("UNAUTHORIZED");
    expect((await env.as(admin).audit.list({ action: "token.pause" })).events).toMatchObject([{ tokenId: token.id, detail: { byAdmin: true, owner: "alice" } }]);
    await env.as(admin).admin.resumeToken({ id: token.id });
    expect(await works(token.token)).toBe("OK");
  });
});
