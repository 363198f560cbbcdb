import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { code, createTestEnv, type TestEnv } from "./support.js";
import { LastUsedRecorder } from "../src/auth/last-used.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("allowed endpoints", () => {
  it("stores, signs and enforces a token's endpoints across procedures", async () => {
    const alice = await env.addUser("alice");
    const narrow = await env.as(alice).token.create({ description: "reader", life: "1 day", endpoints: ["get /v1alpha/token/*"] });
    expect(narrow.endpoints).toEqual(["GET /v1alpha/token/*"]);
    expect(decodeJwt(narrow.token).jwt_token_endpoints).toEqual(["GET /v1alpha/token/*"]);
    const api = await env.bearer(narrow.token);
    expect(await code(api.token.list())).toBe("OK");
    expect(await code(api.token.get({ id: narrow.id }))).toBe("OK");
    expect(await code(api.token.revoke({ id: narrow.id }))).toBe("FORBIDDEN");
    expect(await code(api.token.create({ description: "x", life: "1 hour" }))).toBe("FORBIDDEN");
    expect(await code(api.audit.list())).toBe("FORBIDDEN");
  });

  it("rejects malformed patterns with a message", async () => {
    const alice = await env.addUser("alice");
    await expect(env.as(alice).token.create({ description: "x", life: "1 day", endpoints: ["FETCH /x"] })).rejects.toThrow(
      /endpoints\.0: "FETCH \/x" is not "METHOD \/path"/,
    );
  });
});

describe("no escalation", () => {
  it("a narrow token cannot mint a wider or longer-lived one; within its limits it can, and children inherit", async () => {
    const alice = await env.addUser("alice");
    const parent = await env.as(alice).token.create({
      description: "parent",
      life: "1 day",
      endpoints: ["POST /v1alpha/token/", "GET /v1alpha/token/*"],
    });
    const api = await env.bearer(parent.token);
    for (const attempt of [
      { description: "wide", life: "1 hour", endpoints: ["* /*"] },
      { description: "delete", life: "1 hour", endpoints: ["DELETE /v1alpha/token/*"] },
      { description: "longer", life: "2 days" },
    ]) {
      expect(await code(api.token.create(attempt))).toBe("FORBIDDEN");
    }
    const inherited = await api.token.create({ description: "child", life: "1 hour" });
    expect(inherited.endpoints).toEqual(["POST /v1alpha/token/", "GET /v1alpha/token/*"]);
    const narrower = await api.token.create({ description: "child2", life: "1 hour", endpoints: ["GET /v1alpha/token/self"] });
    expect(narrower.endpoints).toEqual(["GET /v1alpha/token/self"]);
    // An unrestricted token still cannot outlive itself through a child.
    const wide = await env.as(alice).token.create({ description: "wide", life: "1 hour" });
    expect(await code((await env.bearer(wide.token)).token.create({ description: "x", life: "2 hours" }))).toBe("FORBIDDEN");
    // The user's own password or session has no such limit.
    expect(await code(env.as(alice).token.create({ description: "x", life: "30 days", endpoints: ["* /*"] }))).toBe("OK");
  });

  it("a token cannot rotate a token into one wider than itself", async () => {
    const alice = await env.addUser("alice");
    const wide = await env.as(alice).token.create({ description: "wide", life: "1 day" });
    const narrow = await env.as(alice).token.create({
      description: "narrow",
      life: "1 day",
      endpoints: ["POST /v1alpha/token/*/rotate"],
    });
    expect(await code((await env.bearer(narrow.token)).token.rotate({ id: wide.id }))).toBe("FORBIDDEN");
  });
});

describe("self", () => {
  it("describes and revokes the calling token; Basic callers get 400", async () => {
    const alice = await env.addUser("alice");
    const created = await env.as(alice).token.create({ description: "me", life: "1 hour", endpoints: ["GET /v1alpha/token/self", "DELETE /v1alpha/token/self"] });
    const api = await env.bearer(created.token);
    expect(await api.token.self()).toMatchObject({ username: "alice", tokenId: created.id, endpoints: created.endpoints });
    expect(await api.token.revokeSelf()).toEqual({ id: created.id });
    await expect((await env.bearer(created.token)).token.self()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await code(env.as(alice).token.self())).toBe("BAD_REQUEST");
  });
});

describe("rotation", () => {
  it("issues a new token with the same description, endpoints and life; the old one works during the overlap only", async () => {
    const alice = await env.addUser("alice");
    const old = await env.as(alice).token.create({ description: "ci", life: "1 day", endpoints: ["GET /v1alpha/token/*"] });
    const fresh = await env.as(alice).token.rotate({ id: old.id, overlap: "1 second" });
    expect(fresh).toMatchObject({ description: "ci", lifeSeconds: 86_400, endpoints: ["GET /v1alpha/token/*"], rotatedFromId: old.id });
    expect(fresh.id).not.toBe(old.id);
    expect(await code((await env.bearer(old.token)).token.list())).toBe("OK");
    expect(await code(env.as(alice).token.rotate({ id: old.id }))).toBe("CONFLICT");
    await pause(1_100);
    // After the overlap: reuse. The whole family goes, and it is recorded.
    expect(await code((await env.bearer(old.token)).token.list())).toBe("UNAUTHORIZED");
    expect(await code((await env.bearer(fresh.token)).token.list())).toBe("UNAUTHORIZED");
    const events = await env.opened.db.auditEvent.findMany({ where: { action: "token.reuse_detected" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ tokenId: old.id, username: "alice" });
  });

  it("without an overlap the old token stops at once, and using it is reuse", async () => {
    const alice = await env.addUser("alice");
    const old = await env.as(alice).token.create({ description: "ci", life: "1 day" });
    const fresh = await env.as(alice).token.rotate({ id: old.id });
    expect(await code((await env.bearer(fresh.token)).token.list())).toBe("OK");
    expect(await code((await env.bearer(old.token)).token.list())).toBe("UNAUTHORIZED");
    expect(await code((await env.bearer(fresh.token)).token.list())).toBe("UNAUTHORIZED");
  });
});

describe("last used", () => {
  it("records time and IP, at most once a minute per token", async () => {
    const alice = await env.addUser("alice");
    const created = await env.as(alice).token.create({ description: "x", life: "1 hour" });
    let now = Date.now();
    const recorder = new LastUsedRecorder(env.opened.db, 60_000, () => now);
    await recorder.touch(created.id, "10.0.0.1");
    expect(recorder.touch(created.id, "10.0.0.2")).toBeUndefined();
    now += 59_000;
    expect(recorder.touch(created.id, "10.0.0.3")).toBeUndefined();
    let row = await env.opened.db.accessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.lastUsedIp).toBe("10.0.0.1");
    now += 2_000;
    await recorder.touch(created.id, "10.0.0.4");
    row = await env.opened.db.accessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ lastUsedIp: "10.0.0.4", lastUsedAt: new Date(now) });
  });

  it("writes touches that arrive together in one batch, each with its own address", async () => {
    const alice = await env.addUser("alice");
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await env.as(alice).token.create({ description: `t${i}`, life: "1 hour" })).id);
    const recorder = new LastUsedRecorder(env.opened.db);
    const writes = ids.map((id, i) => recorder.touch(id, i === 2 ? "10.0.0.9" : "10.0.0.1"));
    // Same tick, same write.
    expect(new Set(writes).size).toBe(1);
    await writes[0];
    const rows = await env.opened.db.accessToken.findMany({ where: { id: { in: ids } }, orderBy: { description: "asc" } });
    expect(rows.map((row) => row.lastUsedIp)).toEqual(["10.0.0.1", "10.0.0.1", "10.0.0.9"]);
  });

  it("is written by a real Bearer request and shown in get", async () => {
    const alice = await env.addUser("alice");
    const created = await env.as(alice).token.create({ description: "x", life: "1 hour" });
    await (await env.bearer(created.token, "192.0.2.7")).token.list();
    await pause(50);
    expect(await env.as(alice).token.get({ id: created.id })).toMatchObject({ lastUsedIp: "192.0.2.7", lastUsedAt: expect.any(String) });
  });
});
