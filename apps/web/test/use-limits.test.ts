import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";

/**
 * Use-limited tokens (jwt_token_max_uses) on the built server: exact counts, what spends a use and
 * what does not, the remaining count in every view, token.exhausted once, and the abuses tried
 * against it (children to multiply uses, rotation to refill them).
 */
const ADMIN_PASSWORD = "uses-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let database: TestDatabase;
let server: RunningServer;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  database = await testDatabase();
  await receiver.start();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD, TRUST_PROXY: "1", WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_POLL_INTERVAL: "1 second" });
  const hook = await request(`${server.url}/v1alpha/webhooks/`, { method: "POST", auth: ADMIN, body: { url: receiver.url(), events: ["token.exhausted"] } });
  expect(hook.status).toBe(201);
  receiver.secret = hook.body.secret;
});
afterAll(async () => {
  await server?.stop();
  await receiver.stop();
  await database?.drop();
});

const api = () => `${server.url}/v1alpha/token`;
const create = (auth: string, body: Record<string, unknown>) =>
  request(`${api()}/`, { method: "POST", auth, body: { jwt_token_description: "counted", jwt_token_life: "1 hour", ...body } });
const self = (token: string, address = "203.0.113.9") => request(`${api()}/self`, { auth: `Bearer ${token}`, headers: { "x-forwarded-for": address } });
const introspect = (token: string) =>
  request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token, client_ip: "203.0.113.9" } });
const forwardAuth = (token: string, uri = "/orders/1") =>
  request(`${server.url}/v1alpha/forward-auth`, {
    auth: `Bearer ${token}`,
    headers: { "x-forwarded-for": "203.0.113.9", "x-forwarded-method": "GET", "x-forwarded-uri": uri },
  });

describe("use-limited tokens", () => {
  it("refuses bad values with a 400 naming the field", async () => {
    for (const bad of [0, 1_000_001, 1.5, "10", -1, null]) {
      const refused = await create(ADMIN, { jwt_token_max_uses: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: "jwt_token_max_uses" })]);
    }
    const trpc = await request(`${server.url}/api/trpc/token.create`, { method: "POST", auth: ADMIN, body: { description: "x", life: "1 hour", maxUses: 0 } });
    expect(trpc.status).toBe(400);
  });

  it("is exact: allowed uses spend one each, then 401; refused requests spend none; every view shows what is left", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_max_uses: 4, jwt_token_endpoints: ["GET /v1alpha/token/self", "GET /orders/*"], jwt_token_allowed_ips: ["203.0.113.0/24"] });
    expect(token).toMatchObject({ jwt_token_max_uses: 4, uses_remaining: 4 });
    // Refused for other reasons: another endpoint, another address. None of these spends a use.
    expect((await request(`${api()}/`, { auth: `Bearer ${token.jwt_token}`, headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(403);
    expect((await self(token.jwt_token, "198.51.100.1")).status).toBe(403);
    expect((await forwardAuth(token.jwt_token, "/admin")).status).toBe(403);
    const first = await self(token.jwt_token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ jwt_token_max_uses: 4, uses_remaining: 3 });
    // Introspection by a resource server is a use; so is a forward-auth check.
    expect((await introspect(token.jwt_token)).body).toMatchObject({ active: true, jwt_token_max_uses: 4, uses_remaining: 2 });
    const forwarded = await forwardAuth(token.jwt_token);
    expect(forwarded.status).toBe(200);
    expect(forwarded.headers.get("x-tokensmith-uses-remaining")).toBe("1");
    const listed = await request(`${api()}/`, { auth: ADMIN });
    expect(listed.body.jwt_tokens[token.jwt_token_id]).toMatchObject({ jwt_token_max_uses: 4, uses_remaining: 1 });
    expect((await self(token.jwt_token)).body.uses_remaining).toBe(0);
    const spent = await self(token.jwt_token);
    expect(spent.status).toBe(401);
    expect(spent.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(spent.body.message).toBe("This token has no uses left");
    expect((await forwardAuth(token.jwt_token)).status).toBe(401);
    expect((await introspect(token.jwt_token)).body).toEqual({ active: false });
    const shown = await request(`${api()}/${token.jwt_token_id}`, { auth: ADMIN });
    expect(shown.body).toMatchObject({ jwt_token_max_uses: 4, uses_remaining: 0 });
  });

  it("a race of 30 at the last 5 uses: exactly 5 pass; token.exhausted is sent once", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_max_uses: 5, jwt_token_description: "raced" });
    const statuses = await Promise.all(Array.from({ length: 30 }, () => self(token.jwt_token).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(25);
    await receiver.waitFor((r) => r.type === "token.exhausted" && r.json.data.token_id === token.jwt_token_id);
    // A little longer: a second event, if one were written, would be delivered by now.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const events = receiver.received.filter((r) => r.type === "token.exhausted" && r.json.data.token_id === token.jwt_token_id);
    expect(events).toHaveLength(1);
    expect(events[0]!.verified).toBe(true);
    expect(events[0]!.json.data).toMatchObject({ description: "raced", max_uses: 5, username: "admin" });
  });

  it("tRPC: each call of a batch is a use; maxUses is accepted at create", async () => {
    const created = await request(`${server.url}/api/trpc/token.create`, { method: "POST", auth: ADMIN, body: { description: "trpc", life: "1 hour", maxUses: 2 } });
    expect(created.body.result.data).toMatchObject({ maxUses: 2, usesLeft: 2 });
    const bearer = `Bearer ${created.body.result.data.token}`;
    const batch = await request(`${server.url}/api/trpc/token.self,token.self,token.self?batch=1&input={}`, { auth: bearer });
    const results = batch.body as Array<{ result?: { data: { usesLeft: number } }; error?: { message: string } }>;
    // A batch's calls run concurrently, so which of them is refused is not fixed: exactly one is
    // (were a batch one use, all three would pass). Each answer says what is left when it reads
    // it: 1 or 0, depending on whether the other call has spent its use by then.
    const outcomes = results.map((r) => r.result?.data.usesLeft ?? r.error?.message);
    expect(outcomes.filter((o) => typeof o === "string")).toEqual(["This token has no uses left"]);
    expect(outcomes.filter((o) => o === 0 || o === 1)).toHaveLength(2);
  });

  it("children: a use-limited token must give its child uses, taken from its own; no more than it has left", async () => {
    // Longer than its children's hour: a child of the same lifetime made a moment later would outlive it.
    const { body: parent } = await create(ADMIN, { jwt_token_max_uses: 10, jwt_token_life: "2 hours" });
    const bearer = `Bearer ${parent.jwt_token}`;
    const unlimited = await create(bearer, {});
    expect(unlimited.status).toBe(403);
    expect(unlimited.body.message).toMatch(/must set its own number of uses/);
    // 10 − 1 (that refused create was itself a use) − 1 (this one) = 8 left: 9 is too many.
    const tooMany = await create(bearer, { jwt_token_max_uses: 9 });
    expect(tooMany.status).toBe(403);
    const child = await create(bearer, { jwt_token_max_uses: 5 });
    expect(child.status).toBe(201);
    // 10 − 3 requests − 5 given = 2 left, shown after this read spent one: 1.
    expect((await self(parent.jwt_token)).body.uses_remaining).toBe(1);
    // A child refused (it would outlive its parent) takes no uses: 5 − 1 (the refused request) = 4 left.
    const outlives = await create(`Bearer ${child.body.jwt_token}`, { jwt_token_max_uses: 4, jwt_token_life: "2 hours" });
    expect(outlives.status).toBe(403);
    const grandchild = await create(`Bearer ${child.body.jwt_token}`, { jwt_token_max_uses: 3, jwt_token_life: "30 minutes" });
    expect(grandchild.status).toBe(201);
    // 4 − 1 (this create) − 3 (given) = 0.
    expect((await self(child.body.jwt_token)).status).toBe(401);
  });

  it("rotation cannot refill: a use-limited token is not rotated, and cannot rotate others", async () => {
    const { body: limited } = await create(ADMIN, { jwt_token_max_uses: 3 });
    const rotated = await request(`${api()}/${limited.jwt_token_id}/rotate`, { method: "POST", auth: ADMIN, body: {} });
    expect(rotated.status).toBe(403);
    expect(rotated.body.message).toMatch(/cannot be rotated/);
    const { body: other } = await create(ADMIN, {});
    const byLimited = await request(`${api()}/${other.jwt_token_id}/rotate`, { method: "POST", auth: `Bearer ${limited.jwt_token}`, body: {} });
    expect(byLimited.status).toBe(403);
  });
});
