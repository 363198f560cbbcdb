import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { code, createTestEnv, type TestEnv } from "./support.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

describe("a token's description can be edited", () => {
  it("changes the record, audits the old and the new, and every read sees it at once", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    const token = await api.token.create({ description: "ci", life: "1 day" });
    // Read through the token itself first, so its row is cached.
    const viaToken = await env.bearer(token.token);
    expect((await viaToken.token.get({ id: token.id })).description).toBe("ci");
    expect(await api.token.update({ id: token.id, description: "  CI deploys (prod)  " })).toMatchObject({ id: token.id, description: "CI deploys (prod)", state: "valid" });
    expect((await viaToken.token.get({ id: token.id })).description).toBe("CI deploys (prod)");
    expect((await api.token.search({ q: "prod deploys" })).tokens.map((t) => t.id)).toEqual([token.id]);
    const events = (await api.audit.list({ action: "token.update" })).events;
    expect(events).toMatchObject([{ tokenId: token.id, username: "alice", detail: { from: "ci", to: "CI deploys (prod)" } }]);
    // The same description again: nothing changes, nothing is recorded.
    await api.token.update({ id: token.id, description: "CI deploys (prod)" });
    expect((await api.audit.list({ action: "token.update" })).events).toHaveLength(1);
  });

  it("refuses another user's token, a revoked one, a bad description, and a token outside its endpoints", async () => {
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    const token = await env.as(alice).token.create({ description: "ci", life: "1 day" });
    expect(await code(env.as(bob).token.update({ id: token.id, description: "mine now" }))).toBe("NOT_FOUND");
    expect(await code(env.as(alice).token.update({ id: token.id, description: "" }))).toBe("BAD_REQUEST");
    expect(await code(env.as(alice).token.update({ id: token.id, description: "x".repeat(201) }))).toBe("BAD_REQUEST");
    expect(await code(env.as(alice).token.update({ id: token.id, description: "line\nbreak" }))).toBe("BAD_REQUEST");
    const reader = await env.as(alice).token.create({ description: "reader", life: "1 hour", endpoints: ["GET /v1alpha/token/*"] });
    expect(await code((await env.bearer(reader.token)).token.update({ id: token.id, description: "renamed" }))).toBe("FORBIDDEN");
    const editor = await env.as(alice).token.create({ description: "editor", life: "1 hour", endpoints: [`PATCH /v1alpha/token/${token.id}`] });
    expect(await code((await env.bearer(editor.token)).token.update({ id: token.id, description: "renamed" }))).toBe("OK");
    await env.as(alice).token.revoke({ id: token.id });
    expect(await code(env.as(alice).token.update({ id: token.id, description: "after" }))).toBe("NOT_FOUND");
    expect((await env.as(alice).token.detail({ id: token.id })).token.description).toBe("renamed");
  });
});
