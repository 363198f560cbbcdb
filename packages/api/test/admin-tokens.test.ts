import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { code, createTestEnv, type TestEnv } from "./support.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

describe("administrators see and act on every user's tokens", () => {
  it("search every user's tokens or one user's, each naming its owner; others may not", async () => {
    const root = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    await env.as(alice).token.create({ description: "payments (prod)", life: "1 day" });
    await env.as(bob).token.create({ description: "prod payments backup", life: "1 day" });
    await env.as(bob).token.create({ description: "staging", life: "1 day" });
    const admin = env.as(root);
    const all = await admin.admin.searchTokens({ q: "prod payments" });
    expect(all.tokens.map((t) => [t.username, t.description]).sort()).toEqual([["alice", "payments (prod)"], ["bob", "prod payments backup"]]);
    expect((await admin.admin.searchTokens({ username: "bob" })).tokens.map((t) => t.description).sort()).toEqual(["prod payments backup", "staging"]);
    expect((await admin.admin.searchTokens()).total).toBe(3);
    expect(await code(admin.admin.searchTokens({ username: "nobody" }))).toBe("NOT_FOUND");
    for (const call of [
      env.as(alice).admin.searchTokens(),
      env.as(alice).admin.revokeMany({ ids: [all.tokens[0]!.id] }),
      env.as(alice).admin.tokenDetail({ id: all.tokens[0]!.id }),
    ]) {
      expect(await code(call)).toBe("FORBIDDEN");
    }
  });

  it("revoke one or many users' tokens; the events name whose tokens they were, and the owners see them", async () => {
    const root = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    const a = await env.as(alice).token.create({ description: "a", life: "1 day" });
    const b = await env.as(bob).token.create({ description: "b", life: "1 day" });
    const c = await env.as(bob).token.create({ description: "c", life: "1 day" });
    const admin = env.as(root);
    expect((await admin.admin.revokeMany({ ids: [a.id, b.id] })).revoked.sort()).toEqual([a.id, b.id].sort());
    await admin.admin.revokeToken({ id: c.id });
    const events = (await admin.audit.list({ action: "token.revoke" })).events;
    expect(events.map((e) => [e.tokenId, e.username, e.detail]).sort()).toEqual(
      [
        [a.id, "root", { bulk: true, byAdmin: true, owner: "alice" }],
        [b.id, "root", { bulk: true, byAdmin: true, owner: "bob" }],
        [c.id, "root", { byAdmin: true, owner: "bob" }],
      ].sort(),
    );
    // Alice's page of her token says an administrator revoked it, without the admin's address.
    const detail = await env.as(alice).token.detail({ id: a.id });
    expect(detail.ending).toMatchObject({ reason: "revoked", by: "root", byAdmin: true });
    expect(detail.events[0]).toMatchObject({ action: "token.revoke", username: "root", ip: null, userAgent: null });
    // The administrator's view of it names its owner.
    expect((await admin.admin.tokenDetail({ id: a.id })).owner).toBe("alice");
    expect(await code(env.as(bob).token.detail({ id: a.id }))).toBe("NOT_FOUND");
  });
});
