import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";
import { OpenApiContract } from "./support/openapi-contract.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Webhooks end to end, against the built server and a real receiver in this process that checks
 * every signature with the secret shown at creation. WEBHOOK_ALLOW_PRIVATE lets the server reach
 * the loopback receiver (webhooks-ssrf.test.ts covers what happens without it).
 */
const ADMIN_PASSWORD = "webhook-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let database: TestDatabase;
let server: RunningServer;
const receiver = new WebhookReceiver();
let endpoint: { id: string; secret: string };

const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${server.url}${path}`, { auth: ADMIN, ...init });
const createToken = async (description = "hooked") => (await api("/v1alpha/token/", { method: "POST", body: { jwt_token_description: description, jwt_token_life: "1 hour" } })).body;

beforeAll(async () => {
  database = await testDatabase();
  await receiver.start();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD, WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_RETRY_BASE: "1 second", WEBHOOK_POLL_INTERVAL: "1 second" });
  const created = await api("/v1alpha/webhooks/", {
    method: "POST",
    body: { url: receiver.url(), events: ["token.created", "token.revoked", "token.rotated", "token.reuse_detected"] },
  });
  expect(created.status).toBe(201);
  endpoint = created.body;
  receiver.secret = endpoint.secret;
});
afterAll(async () => {
  await server?.stop();
  await receiver.stop();
  await database?.drop();
});

describe("webhook endpoints", () => {
  it("shows the secret once, in the Standard Webhooks form; never again", async () => {
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpoint.secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);
    const listed = await api("/v1alpha/webhooks/");
    expect(listed.body.webhooks).toEqual([{ id: endpoint.id, url: receiver.url(), events: expect.any(Array), scope: "own", created_at: expect.any(String) }]);
    const one = await api(`/v1alpha/webhooks/${endpoint.id}`);
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(endpoint.secret.slice(6));
    expect(listed.text).not.toContain(endpoint.secret.slice(6));
  });

  it("every wrong input is a 400 naming its field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ events: ["token.created"] }, "url"],
      [{ url: "not a url", events: ["token.created"] }, "url"],
      [{ url: `https://example.com/${"x".repeat(2100)}`, events: ["token.created"] }, "url"],
      [{ url: "https://user:pw@example.com/", events: ["token.created"] }, "url"],
      [{ url: "ftp://example.com/", events: ["token.created"] }, "url"],
      [{ url: receiver.url(), events: [] }, "events"],
      [{ url: receiver.url(), events: ["token.eaten"] }, "events.0"],
      [{ url: receiver.url(), events: ["token.created", "token.created"] }, "events"],
      [{ url: receiver.url(), events: ["token.created"], scope: "everyone" }, "scope"],
    ];
    for (const [body, field] of cases) {
      const refused = await api("/v1alpha/webhooks/", { method: "POST", body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
    }
    expect((await api("/v1alpha/webhooks/not-a-uuid")).body.errors).toEqual([expect.objectContaining({ field: "id" })]);
    expect((await api("/v1alpha/webhooks/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("tRPC runs the same handlers, under the same allowed-endpoint patterns as REST", async () => {
    const viaTrpc = await api("/api/trpc/webhook.create", { method: "POST", body: { url: receiver.url("/trpc"), events: ["token.revoked"] } });
    expect(viaTrpc.body.result.data).toMatchObject({ url: receiver.url("/trpc"), events: ["token.revoked"], scope: "own", secret: expect.stringMatching(/^whsec_/) });
    const refused = await api("/api/trpc/webhook.create", { method: "POST", body: { url: "ftp://x/", events: ["token.revoked"] } });
    expect(refused.status).toBe(400);
    const listOnly = (await api("/v1alpha/token/", { method: "POST", body: { jwt_token_description: "lists webhooks", jwt_token_life: "1 hour", jwt_token_endpoints: ["GET /v1alpha/webhooks/"] } })).body;
    const bearer = `Bearer ${listOnly.jwt_token}`;
    expect((await api("/api/trpc/webhook.list", { auth: bearer })).status).toBe(200);
    expect((await api("/api/trpc/webhook.create", { auth: bearer, method: "POST", body: { url: receiver.url(), events: ["token.created"] } })).status).toBe(403);
    expect((await api(`/api/trpc/webhook.delete`, { auth: bearer, method: "POST", body: { id: viaTrpc.body.result.data.id } })).status).toBe(403);
    expect((await api(`/v1alpha/webhooks/${viaTrpc.body.result.data.id}`, { method: "DELETE" })).status).toBe(200);
  });

  it("an admin-wide endpoint needs an administrator; a user sees only their own", async () => {
    await api("/api/trpc/user.create", { method: "POST", body: { username: "bob", password: "bob-password-long", isAdmin: false } });
    const bob = basicAuth("bob", "bob-password-long");
    const refused = await api("/v1alpha/webhooks/", { auth: bob, method: "POST", body: { url: receiver.url(), events: ["token.created"], scope: "all" } });
    expect(refused.status).toBe(403);
    expect((await api("/v1alpha/webhooks/", { auth: bob })).body.webhooks).toEqual([]);
    expect((await api(`/v1alpha/webhooks/${endpoint.id}`, { auth: bob })).status).toBe(404);
    // An administrator's token is not enough for every user's events: a password is.
    const adminToken = (await api("/v1alpha/token/", { method: "POST", body: { jwt_token_description: "admin token", jwt_token_life: "1 hour" } })).body;
    const byToken = await api("/v1alpha/webhooks/", { auth: `Bearer ${adminToken.jwt_token}`, method: "POST", body: { url: receiver.url(), events: ["token.created"], scope: "all" } });
    expect(byToken.status).toBe(403);
    expect(byToken.body.message).toMatch(/signed in with a password/);
  });

  it("a user may have at most 20 endpoints", async () => {
    await api("/api/trpc/user.create", { method: "POST", body: { username: "carol", password: "carol-password-long", isAdmin: false } });
    const carol = basicAuth("carol", "carol-password-long");
    const create = () => api("/v1alpha/webhooks/", { auth: carol, method: "POST", body: { url: receiver.url("/carol"), events: ["token.created"] } });
    for (let i = 0; i < 20; i++) expect((await create()).status).toBe(201);
    const over = await create();
    expect(over.status).toBe(403);
    expect(over.body.message).toMatch(/at most 20 webhook endpoints/);
  });
});

describe("events, signed and delivered", () => {
  it("token.created arrives signed, with the token's facts and never its value", async () => {
    const sent = Date.now();
    const token = await createToken("created event");
    const event = await receiver.waitFor((r) => r.type === "token.created" && r.json.data.token_id === token.jwt_token_id);
    console.log(`[measured] token.created delivered ${event.at - sent} ms after the create request was sent`);
    expect(event.verified).toBe(true);
    expect(event.id).toMatch(/^msg_/);
    expect(event.json).toEqual({
      type: "token.created",
      timestamp: expect.any(String),
      data: expect.objectContaining({ token_id: token.jwt_token_id, user_id: expect.any(String), username: "admin", description: "created event", expires_at: token.expires_at }),
    });
    expect(event.body).not.toContain(token.jwt_token);
  });

  it("token.rotated, token.revoked and token.reuse_detected follow the REST calls", async () => {
    const token = await createToken("lifecycle");
    const rotated = (await api(`/v1alpha/token/${token.jwt_token_id}/rotate`, { method: "POST" })).body;
    const rotation = await receiver.waitFor((r) => r.type === "token.rotated" && r.json.data.token_id === token.jwt_token_id);
    expect(rotation.json.data.new_token_id).toBe(rotated.jwt_token_id);
    // The old token presented after its rotation: reuse, the whole family is revoked.
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${token.jwt_token}` })).status).toBe(401);
    const reuse = await receiver.waitFor((r) => r.type === "token.reuse_detected" && r.json.data.token_id === token.jwt_token_id);
    expect(reuse.json.data.revoked_token_ids).toContain(rotated.jwt_token_id);
    expect(reuse.json.data.presented_from_ip).toBe("127.0.0.1");
    const doomed = await createToken("to revoke");
    expect((await api(`/v1alpha/token/${doomed.jwt_token_id}`, { method: "DELETE" })).status).toBe(200);
    const revoked = await receiver.waitFor((r) => r.type === "token.revoked" && r.json.data.token_id === doomed.jwt_token_id);
    expect(revoked.verified && rotation.verified && reuse.verified).toBe(true);
  });

  it("retries with backoff after a 500, with the same webhook-id, and logs each attempt", async () => {
    receiver.answers.push(500, 500);
    const token = await createToken("retried");
    const isIt = (r: { type: string; json: any }) => r.type === "token.created" && r.json.data.token_id === token.jwt_token_id;
    await receiver.waitFor((r) => isIt(r) && receiver.received.filter(isIt).length === 3, 20_000);
    const attempts = receiver.received.filter(isIt);
    expect(new Set(attempts.map((a) => a.id)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect(attempts.every((a) => a.verified)).toBe(true);
    const gaps = [attempts[1]!.at - attempts[0]!.at, attempts[2]!.at - attempts[1]!.at];
    console.log(`[measured] retry gaps with WEBHOOK_RETRY_BASE=1 second: ${gaps.join(" ms, ")} ms`);
    // 1 s then 6 s, each ±20%: the second wait is the longer one (backoff grows).
    expect(gaps[0]).toBeGreaterThanOrEqual(750);
    expect(gaps[1]).toBeGreaterThanOrEqual(4700);
    const log = await api(`/v1alpha/webhooks/${endpoint.id}/deliveries`);
    const delivery = log.body.deliveries.find((d: any) => d.event_id === attempts[0]!.id);
    await expect.poll(async () => (await api(`/v1alpha/webhooks/${endpoint.id}/deliveries`)).body.deliveries.find((d: any) => d.id === delivery.id).state).toBe("delivered");
    const settled = (await api(`/v1alpha/webhooks/${endpoint.id}/deliveries`)).body.deliveries.find((d: any) => d.id === delivery.id);
    expect(settled.attempt_log.map((a: any) => [a.attempt, a.status_code])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(settled.attempt_log.every((a: any) => typeof a.duration_ms === "number")).toBe(true);
  }, 30_000);

  it("the docs' verification snippet (docs/guides/webhooks.md) accepts a real delivery and refuses a tampered one", async () => {
    const guide = fs.readFileSync(fileURLToPath(new URL("../../../docs/guides/webhooks.md", import.meta.url)), "utf8");
    const start = guide.indexOf("```js\nimport { createHmac");
    expect(start).toBeGreaterThan(-1);
    const snippet = guide.slice(start + "```js\n".length, guide.indexOf("```", start + 5));
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "readme-verify-")), "verify.mjs");
    fs.writeFileSync(file, `${snippet}\nexport { verify };\n`);
    const { verify } = await import(pathToFileURL(file).href);
    const [delivery] = receiver.received;
    expect(verify(endpoint.secret, delivery!.headers, delivery!.body)).toBe(true);
    expect(verify(endpoint.secret, delivery!.headers, delivery!.body.replace("admin", "eve"))).toBe(false);
    expect(verify(`whsec_${Buffer.alloc(32, 1).toString("base64")}`, delivery!.headers, delivery!.body)).toBe(false);
  });

  it("every body received holds against the document's WebhookEventPayload", async () => {
    const contract = new OpenApiContract((await api("/v1alpha/openapi.json")).body);
    expect(receiver.received.length).toBeGreaterThan(3);
    for (const event of receiver.received) expect(contract.schemaErrors("WebhookEventPayload", event.json), event.type).toEqual([]);
    expect(contract.schemaErrors("WebhookEventPayload", { type: "token.eaten", timestamp: "x", data: {} })).not.toEqual([]);
  });

  it("POST …/test sends webhook.test to that endpoint", async () => {
    const queued = await api(`/v1alpha/webhooks/${endpoint.id}/test`, { method: "POST" });
    expect(queued.status).toBe(202);
    const test = await receiver.waitFor((r) => r.id === queued.body.event_id);
    expect(test.type).toBe("webhook.test");
    expect(test.verified).toBe(true);
    // A loop of tests must not turn the server into a cannon aimed at the URL: one per 10 s.
    const again = await api(`/v1alpha/webhooks/${endpoint.id}/test`, { method: "POST" });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(again.headers.get("retry-after"))).toBeLessThanOrEqual(10);
    expect(again.body.message).toMatch(/try again in \d+ s/);
    // Another endpoint on the same URL buys no fresh test.
    const twin = (await api("/v1alpha/webhooks/", { method: "POST", body: { url: receiver.url(), events: ["token.created"] } })).body;
    expect((await api(`/v1alpha/webhooks/${twin.id}/test`, { method: "POST" })).status).toBe(429);
    await api(`/v1alpha/webhooks/${twin.id}`, { method: "DELETE" });
    expect(receiver.received.filter((r) => r.type === "webhook.test")).toHaveLength(1);
  });

  it("the secret and the URL (a credential too, for many services) are never stored or logged in the clear", async () => {
    const raw = endpoint.secret.slice("whsec_".length);
    // The whole URL: the audit log keeps its origin only.
    const url = receiver.url();
    expect(server.output()).not.toContain(raw);
    expect(server.output()).not.toContain(url);
    if (database.file) {
      // The database and its write-ahead log, byte for byte.
      for (const file of [database.file, `${database.file}-wal`].filter((f) => fs.existsSync(f))) {
        const bytes = fs.readFileSync(file);
        expect(bytes.includes(Buffer.from(raw)), file).toBe(false);
        expect(bytes.includes(Buffer.from(raw, "base64")), file).toBe(false);
        expect(bytes.includes(Buffer.from(url)), file).toBe(false);
      }
    } else {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query(`SELECT "sealedSecret", "url" FROM "WebhookEndpoint"`);
      const { rows: audit } = await client.query(`SELECT "detail" FROM "AuditEvent"`);
      await client.end();
      expect(JSON.stringify(rows)).not.toContain(raw);
      expect(JSON.stringify([rows, audit])).not.toContain(url);
      expect(rows[0].sealedSecret).toMatch(/^v1\./);
      expect(rows[0].url).toMatch(/^v1\./);
    }
  });

  it("an admin-wide endpoint receives every user's events; a user's endpoint only that user's", async () => {
    const everyone = (await api("/v1alpha/webhooks/", { method: "POST", body: { url: receiver.url("/all"), events: ["token.created"], scope: "all" } })).body;
    receiver.secrets.set("/all", everyone.secret);
    const bob = basicAuth("bob", "bob-password-long");
    const own = (await api("/v1alpha/webhooks/", { auth: bob, method: "POST", body: { url: receiver.url("/bob"), events: ["token.created"] } })).body;
    receiver.secrets.set("/bob", own.secret);
    const bobs = (await api("/v1alpha/token/", { auth: bob, method: "POST", body: { jwt_token_description: "bob's", jwt_token_life: "1 hour" } })).body;
    const admins = await createToken("admin's");
    const about = (path: string, token: { jwt_token_id: string }) => (r: { path: string; json: any }) => r.path === path && r.json.data.token_id === token.jwt_token_id;
    expect((await receiver.waitFor(about("/all", bobs))).verified).toBe(true);
    expect((await receiver.waitFor(about("/bob", bobs))).json.data.username).toBe("bob");
    await receiver.waitFor(about("/all", admins));
    await receiver.waitFor(about("/hook", admins));
    // Both of admin's endpoints have had it: bob's never gets it.
    expect(receiver.received.filter(about("/bob", admins))).toEqual([]);
    expect(receiver.received.filter(about("/hook", bobs))).toEqual([]);
    await api(`/v1alpha/webhooks/${everyone.id}`, { method: "DELETE" });
  });

  it("deleting a user sends token.revoked for each of their tokens in force to admin-wide endpoints", async () => {
    const everyone = (await api("/v1alpha/webhooks/", { method: "POST", body: { url: receiver.url("/deleted"), events: ["token.revoked"], scope: "all" } })).body;
    receiver.secrets.set("/deleted", everyone.secret);
    await api("/api/trpc/user.create", { method: "POST", body: { username: "dave", password: "dave-password-long", isAdmin: false } });
    const dave = basicAuth("dave", "dave-password-long");
    const make = async (description: string) =>
      (await api("/v1alpha/token/", { auth: dave, method: "POST", body: { jwt_token_description: description, jwt_token_life: "1 hour" } })).body;
    const [first, second, revoked] = [await make("one"), await make("two"), await make("revoked before")];
    expect((await api(`/v1alpha/token/${revoked.jwt_token_id}`, { auth: dave, method: "DELETE" })).status).toBe(200);
    const removed = await api("/api/trpc/user.remove", { method: "POST", body: { username: "dave" } });
    expect(removed.body.result.data).toEqual({ username: "dave", tokensRevoked: 2 });
    const onDeletion = (token: { jwt_token_id: string }) => (r: { path: string; json: any }) =>
      r.path === "/deleted" && r.json.data.token_id === token.jwt_token_id && r.json.data.reason === "user_deleted";
    for (const token of [first, second]) {
      const event = await receiver.waitFor(onDeletion(token));
      expect(event.verified).toBe(true);
      expect(event.json).toMatchObject({ type: "token.revoked", data: { username: "dave", revoked_descendants: [] } });
    }
    // The token revoked earlier had its event then; the deletion adds none for it.
    expect(receiver.received.filter(onDeletion(revoked))).toEqual([]);
    await api(`/v1alpha/webhooks/${everyone.id}`, { method: "DELETE" });
  });

  it("deleting an endpoint is audited and stops its deliveries", async () => {
    const extra = (await api("/v1alpha/webhooks/", { method: "POST", body: { url: receiver.url("/other"), events: ["token.created"] } })).body;
    expect((await api(`/v1alpha/webhooks/${extra.id}`, { method: "DELETE" })).body).toEqual({ message: "Webhook endpoint deleted" });
    expect((await api(`/v1alpha/webhooks/${extra.id}`)).status).toBe(404);
    const audit = await api("/api/trpc/audit.list?input=%7B%7D");
    expect(audit.text).toContain("webhook.delete");
    expect(audit.text).toContain("webhook.create");
  });
});
