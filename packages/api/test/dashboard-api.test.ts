import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { code, createTestEnv, type TestEnv } from "./support.js";
import { usageTotals } from "@tokensmith/testkit";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

describe("the token list, searched and paged", () => {
  it("finds by description or id prefix, filters by state and endpoints, and pages with a total", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await api.token.create({ description: `deploy ${i}`, life: "1 day" }));
    const limited = await api.token.create({ description: "reader", life: "1 day", endpoints: ["GET /x"] });
    await api.token.revoke({ id: made[0]!.id });
    const page = await api.token.search({ q: "DEPLOY", pageSize: 25 });
    expect(page.total).toBe(6);
    // Counted to the end (a list of more than 10,000 says totalExact: false, total 10,000: db token-search.test).
    expect(page.totalExact).toBe(true);
    expect(page.tokens.every((t) => t.description.startsWith("deploy"))).toBe(true);
    expect((await api.token.search({ q: limited.id.slice(0, 8) })).tokens.map((t) => t.id)).toEqual([limited.id]);
    expect((await api.token.search({ state: "revoked" })).tokens.map((t) => [t.id, t.state])).toEqual([[made[0]!.id, "revoked"]]);
    expect((await api.token.search({ endpoints: "limited" })).total).toBe(1);
    const first = await api.token.search({ pageSize: 25, page: 1, sort: "created", order: "asc" });
    expect(first.total).toBe(7);
    const other = await env.addUser("bob");
    expect((await env.as(other).token.search()).total).toBe(0);
  });
});

describe("newest first, among tokens made in the same second", () => {
  it("follows creation order, and its pages neither repeat nor skip a token", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    // The clock held still: every token is made in the same millisecond, let alone second.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const made: string[] = [];
    try {
      for (let i = 0; i < 60; i++) made.push((await api.token.create({ description: `batch ${i}`, life: "1 day" })).id);
    } finally {
      vi.useRealTimers();
    }
    const pages = [];
    for (const page of [1, 2, 3]) pages.push(...(await api.token.search({ pageSize: 25, page, sort: "created", order: "desc" })).tokens.map((t) => t.id));
    expect(pages).toEqual([...made].reverse());
    const oldestFirst = await api.token.search({ pageSize: 100, sort: "created", order: "asc" });
    expect(oldestFirst.tokens.map((t) => t.id)).toEqual(made);
  });
});

describe("one token in detail", () => {
  it("shows its lineage, its events and its usage; another user's is not found", async () => {
    const alice = await env.addUser("alice");
    const parent = await env.as(alice).token.create({ description: "parent", life: "1 day" });
    const viaParent = await env.bearer(parent.token);
    const child = await viaParent.token.create({ description: "child", life: "1 hour" });
    const rotated = await env.as(alice).token.rotate({ id: child.id });
    // Uses of the parent: allowed twice (the create above and this list). The rotated-away child
    // presented again: a refused use — and reuse, which revokes its whole family.
    await viaParent.token.list();
    expect(await code((await env.bearer(child.token)).token.self())).toBe("UNAUTHORIZED");
    const detail = await env.as(alice).token.detail({ id: child.id });
    expect(detail.token).toMatchObject({ id: child.id, state: "revoked", rotatedToId: rotated.id });
    expect(detail.createdBy).toEqual({ id: parent.id, description: "parent", state: "valid", expiresAt: parent.expiresAt, lifeSeconds: 86_400, retiresAt: null });
    expect(detail.rotatedTo).toMatchObject({ id: rotated.id, state: "revoked" });
    expect(detail.events.map((e) => e.action)).toEqual(["token.reuse_detected", "token.rotate", "token.create"]);
    expect(detail.usage.hourly).toHaveLength(24);
    expect(detail.usage.daily).toHaveLength(30);
    expect(usageTotals(detail.usage.hourly)).toMatchObject({ unauthorized: 1, allowed: 0 });
    const parentDetail = await env.as(alice).token.detail({ id: parent.id });
    // The replacement of a rotated child stays the parent's child.
    expect(parentDetail.created.map((t) => t.id).sort()).toEqual([child.id, rotated.id].sort());
    expect(usageTotals(parentDetail.usage.hourly)).toMatchObject({ allowed: 2 });
    const bob = await env.addUser("bob");
    expect(await code(env.as(bob).token.detail({ id: parent.id }))).toBe("NOT_FOUND");
  });

  it("says on every token of a family revoked by reuse detection why, when, and which token from which address", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    const first = await api.token.create({ description: "cron", life: "1 day" });
    const second = await api.token.rotate({ id: first.id });
    const third = await api.token.rotate({ id: second.id, overlap: "1 hour" });
    // A copy of the first, kept by a forgotten job, comes back from 203.0.113.9.
    expect(await code((await env.bearer(first.token, "203.0.113.9")).token.self())).toBe("UNAUTHORIZED");
    for (const id of [second.id, third.id]) {
      const detail = await api.token.detail({ id });
      expect(detail.token.state).toBe("revoked");
      expect(detail.ending).toMatchObject({ reason: "reuse_detected", trigger: first.id, ip: "203.0.113.9", triggerToken: { id: first.id, description: "cron" } });
      expect(detail.events[0]).toMatchObject({ action: "token.revoke", ip: "203.0.113.9", detail: { reason: "reuse_detected", trigger: first.id } });
    }
    // The new token's page shows the rotation that made it, not "no events".
    expect((await api.token.detail({ id: third.id })).events.map((e) => [e.action, e.tokenId])).toEqual([
      ["token.revoke", third.id],
      ["token.rotate", second.id],
    ]);
    const trigger = await api.token.detail({ id: first.id });
    expect(trigger.events[0]).toMatchObject({ action: "token.reuse_detected", ip: "203.0.113.9", detail: { revoked: 2 } });
    // In Activity too: one event for each token that stopped.
    const revokes = (await api.audit.list({ action: "token.revoke" })).events;
    expect(revokes.map((e) => e.tokenId).sort()).toEqual([second.id, third.id].sort());
    // Presented again: nothing more ends, nothing more is written.
    const before = await env.opened.db.auditEvent.count();
    expect(await code((await env.bearer(first.token, "203.0.113.10")).token.self())).toBe("UNAUTHORIZED");
    expect(await env.opened.db.auditEvent.count()).toBe(before);
  });

  it("says when a rotation's overlap was cut short by the token's own expiry", async () => {
    const alice = await env.addUser("alice");
    const api = env.as(alice);
    const short = await api.token.create({ description: "short", life: "1 hour" });
    await api.token.rotate({ id: short.id, overlap: "1 day" });
    expect((await api.token.detail({ id: short.id })).rotation).toMatchObject({ overlapSeconds: 86_400, stopsAt: short.expiresAt, cutShortByExpiry: true });
    const long = await api.token.create({ description: "long", life: "1 day" });
    await api.token.rotate({ id: long.id, overlap: "10 minutes" });
    expect((await api.token.detail({ id: long.id })).rotation).toMatchObject({ overlapSeconds: 600, cutShortByExpiry: false });
  });

  it("counts uses by outcome, flushes them to the database, and the counts add up", async () => {
    const alice = await env.addUser("alice");
    const narrow = await env.as(alice).token.create({ description: "narrow", life: "1 day", endpoints: ["GET /v1alpha/token/self"] });
    const api = await env.bearer(narrow.token);
    await api.token.self();
    await api.token.self();
    expect(await code(api.token.list())).toBe("FORBIDDEN");
    await env.services.usage.flush();
    await api.token.self();
    const { hourly, daily } = await env.as(alice).token.usage({ id: narrow.id });
    expect(usageTotals(hourly)).toEqual({ allowed: 3, unauthorized: 0, forbidden: 1, limited: 0 });
    expect(usageTotals(daily)).toMatchObject({ allowed: 3, forbidden: 1 });
    expect(await env.opened.db.tokenUsage.count()).toBe(1);
  });
});

describe("bulk revoke and activity filters", () => {
  it("revokes several tokens at once and finds their events by type, user and token", async () => {
    const admin = await env.addUser("root", "root-password", true);
    const alice = await env.addUser("alice");
    const tokens = await Promise.all([1, 2, 3].map((i) => env.as(alice).token.create({ description: `t${i}`, life: "1 day" })));
    const foreign = await env.as(admin).token.create({ description: "not alice's", life: "1 day" });
    const result = await env.as(alice).token.revokeMany({ ids: [...tokens.slice(0, 2).map((t) => t.id), foreign.id] });
    expect(result.revoked.sort()).toEqual(tokens.slice(0, 2).map((t) => t.id).sort());
    expect(await code(env.as(admin).token.self())).toBe("BAD_REQUEST");
    expect((await env.as(admin).token.get({ id: foreign.id })).state).toBe("valid");
    const revocations = await env.as(alice).audit.list({ action: "token.revoke" });
    expect(revocations.events).toHaveLength(2);
    expect((await env.as(admin).audit.list({ tokenId: tokens[2]!.id })).events.map((e) => e.action)).toEqual(["token.create"]);
    expect((await env.as(admin).audit.list({ username: "root" })).events.every((e) => e.username === "root")).toBe(true);
    expect(await code(env.as(alice).audit.list({ action: "DROP TABLE" }))).toBe("BAD_REQUEST");
  });
});
