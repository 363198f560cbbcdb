import { afterEach, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * What survives a crash: a delivery in flight when the server is killed is sent again after a
 * restart on the same database (same webhook-id); token.expiring goes out once per lead time, never
 * twice, across a restart. Real processes and real clocks; the settings shorten the waits.
 */
const ADMIN_PASSWORD = "durable-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setUp(): Promise<{ database: TestDatabase; receiver: WebhookReceiver; env: Record<string, string> }> {
  const database = await testDatabase();
  const receiver = await new WebhookReceiver().start();
  cleanup.push(() => database.drop(), () => receiver.stop());
  const env = {
    DATABASE_URL: database.url,
    ADMIN_PASSWORD,
    WEBHOOK_ALLOW_PRIVATE: "1",
    WEBHOOK_POLL_INTERVAL: "1 second",
    WEBHOOK_TIMEOUT: "2 seconds",
    WEBHOOK_LEASE: "3 seconds",
    WEBHOOK_RETRY_BASE: "1 second",
    WEBHOOK_EXPIRY_NOTICES: "6 seconds,3 seconds",
  };
  return { database, receiver, env };
}

async function start(env: Record<string, string>): Promise<RunningServer> {
  const server = await startServer(env);
  // A SIGKILLed process has no exit code (its signal is set instead): nothing left to stop.
  cleanup.push(async () => (server.process.signalCode === null ? server.stop() : undefined));
  return server;
}

const api = (server: RunningServer, path: string, body?: unknown) =>
  request(`${server.url}${path}`, { auth: ADMIN, ...(body === undefined ? {} : { method: "POST", body }) });

async function subscribe(server: RunningServer, receiver: WebhookReceiver, events: string[]): Promise<string> {
  const created = await api(server, "/v1alpha/webhooks/", { url: receiver.url(), events });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return created.body.id;
}

const killed = (server: RunningServer) =>
  new Promise<void>((resolve) => {
    server.process.once("exit", () => resolve());
    server.process.kill("SIGKILL");
  });

describe("no event is lost", () => {
  it("a delivery in flight when the server is SIGKILLed is delivered after a restart, with the same webhook-id", async () => {
    const { receiver, env } = await setUp();
    const first = await start(env);
    const endpointId = await subscribe(first, receiver, ["token.created"]);
    receiver.answers.push("hold");
    const token = (await api(first, "/v1alpha/token/", { jwt_token_description: "in flight", jwt_token_life: "1 hour" })).body;
    const held = await receiver.waitFor((r) => r.json.data.token_id === token.jwt_token_id);
    await killed(first);
    const killedAt = Date.now();
    const second = await start(env);
    const again = await receiver.waitFor((r) => r !== held && r.json.data.token_id === token.jwt_token_id, 20_000);
    console.log(`[measured] redelivered ${again.at - killedAt} ms after the kill (lease: 3 s, including the restart)`);
    expect(again.id).toBe(held.id);
    expect(again.body).toBe(held.body);
    expect(again.verified && held.verified).toBe(true);
    await expect
      .poll(async () => (await api(second, `/v1alpha/webhooks/${endpointId}/deliveries`)).body.deliveries[0]?.state)
      .toBe("delivered");
    const [delivery] = (await api(second, `/v1alpha/webhooks/${endpointId}/deliveries`)).body.deliveries;
    // The first attempt died with its process: only the second one is in the log.
    expect(delivery.attempt_log.map((a: any) => [a.attempt, a.status_code])).toEqual([[2, 200]]);
  }, 60_000);
});

describe("token.expiring", () => {
  it("is sent once at each lead time, only for tokens that live longer than it, and never twice across a restart", async () => {
    const { receiver, env } = await setUp();
    const first = await start(env);
    await subscribe(first, receiver, ["token.expiring"]);
    const long = (await api(first, "/v1alpha/token/", { jwt_token_description: "ten seconds", jwt_token_life: "10 seconds" })).body;
    const notice = (tokenId: string, lead: number) => (r: { json: any }) => r.json.data.token_id === tokenId && r.json.data.notice_seconds === lead;
    const early = await receiver.waitFor(notice(long.jwt_token_id, 6), 10_000);
    expect(early.verified).toBe(true);
    expect(early.json.data).toMatchObject({ description: "ten seconds", expires_at: long.expires_at, username: "admin" });
    // A crash right after the first notice; the new process must not send it again.
    await killed(first);
    const second = await start(env);
    // Made by the new process: its 3-second notice falls due a second after it is made, and a
    // token that expired while no process ran (a slow restart) has nothing left to notice.
    const short = (await api(second, "/v1alpha/token/", { jwt_token_description: "four seconds", jwt_token_life: "4 seconds" })).body;
    await receiver.waitFor(notice(long.jwt_token_id, 3), 10_000);
    await receiver.waitFor(notice(short.jwt_token_id, 3), 10_000);
    // Past both expiries and a few more scans.
    const lastExpiry = Math.max(Date.parse(long.expires_at), Date.parse(short.expires_at));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastExpiry - Date.now()) + 3000));
    // Deduped by webhook-id, as receivers do: a notice whose delivery the kill interrupted is sent
    // again with the same id (at least once), but no notice is ever made twice.
    const notices = new Map(receiver.ofType("token.expiring").map((r) => [r.id, `${r.json.data.description}@${r.json.data.notice_seconds}`]));
    expect([...notices.values()].sort()).toEqual(["four seconds@3", "ten seconds@3", "ten seconds@6"]);
  }, 60_000);
});
