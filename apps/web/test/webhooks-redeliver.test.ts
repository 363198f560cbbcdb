import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * A delivery's request and answers can be read, and a failed one sent again, against the built
 * server and a real receiver. Retries end 2 s after an event, so failures are final quickly.
 */
const ADMIN_PASSWORD = "redeliver-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let database: TestDatabase;
let server: RunningServer;
const receiver = new WebhookReceiver();
let endpoint: { id: string; secret: string };

const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${server.url}${path}`, { auth: ADMIN, ...init });
const deliveries = async () => (await api(`/v1alpha/webhooks/${endpoint.id}/deliveries`)).body.deliveries as { id: string; state: string; event_id: string }[];
const waitUntil = async <T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> => {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

beforeAll(async () => {
  database = await testDatabase();
  await receiver.start();
  server = await startServer({
    DATABASE_URL: database.url,
    ADMIN_PASSWORD,
    WEBHOOK_ALLOW_PRIVATE: "1",
    WEBHOOK_RETRY_BASE: "1 second",
    WEBHOOK_RETRY_FOR: "2 seconds",
    WEBHOOK_POLL_INTERVAL: "1 second",
  });
  endpoint = (await api("/v1alpha/webhooks/", { method: "POST", body: { url: receiver.url(), events: ["token.created"] } })).body;
  receiver.secret = endpoint.secret;
});
afterAll(async () => {
  await server?.stop();
  await receiver.stop();
  await database?.drop();
});

describe("a delivery's request, its answers, and redelivery", () => {
  it("shows what was sent (never a secret) and each attempt; a failed delivery is sent again once, and only a failed one", async () => {
    receiver.answers.push(...Array(20).fill(500));
    const token = (await api("/v1alpha/token/", { method: "POST", body: { jwt_token_description: "hooked", jwt_token_life: "1 hour" } })).body;
    const [failed] = await waitUntil(deliveries, (list) => list[0]?.state === "failed", "a failed delivery");
    const detail = await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/${failed!.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.request.headers).toEqual({ "content-type": "application/json", "webhook-id": failed!.event_id, "user-agent": "Tokensmith-Webhooks/1" });
    expect(JSON.parse(detail.body.request.body)).toMatchObject({ type: "token.created", data: { token_id: token.jwt_token_id, description: "hooked" } });
    expect(detail.body.request.body_truncated).toBe(false);
    expect(detail.body.attempt_log.length).toBeGreaterThanOrEqual(1);
    // The receiver is on loopback, a private address: its answers are never kept.
    expect(detail.body.attempt_log.every((a: { status_code: number; response_body: unknown }) => a.status_code === 500 && a.response_body === null)).toBe(true);
    expect(detail.text).not.toContain(endpoint.secret.slice(6));
    expect(detail.text).not.toContain(token.jwt_token);
    expect(detail.text).not.toContain("webhook-signature");

    const attemptsBefore = receiver.received.length;
    receiver.answers.splice(0);
    const again = await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/${failed!.id}/redeliver`, { method: "POST" });
    expect(again).toMatchObject({ status: 202, body: { delivery_id: failed!.id, state: "pending" } });
    const delivered = await waitUntil(deliveries, (list) => list.find((d) => d.id === failed!.id)?.state === "delivered", "the redelivery");
    expect(delivered.find((d) => d.id === failed!.id)).toBeTruthy();
    // The same event, under the same webhook-id, exactly once more.
    expect(receiver.received.slice(attemptsBefore).map((r) => r.id)).toEqual([failed!.event_id]);
    expect(receiver.received.at(-1)!.verified).toBe(true);
    const after = await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/${failed!.id}/redeliver`, { method: "POST" });
    expect(after).toMatchObject({ status: 409, body: { message: "Only a failed delivery can be redelivered: this one is delivered" } });
  });

  it("at most 10 redeliveries a minute per caller; another user's delivery is not found", async () => {
    receiver.answers.push(...Array(60).fill(503));
    for (let i = 0; i < 11; i++) await api("/v1alpha/token/", { method: "POST", body: { jwt_token_description: `burst ${i}`, jwt_token_life: "1 hour" } });
    const failed = await waitUntil(deliveries, (list) => list.filter((d) => d.state === "failed").length >= 11, "eleven failed deliveries");
    receiver.answers.splice(0);
    const ids = failed.filter((d) => d.state === "failed").map((d) => d.id);
    // The first test's redelivery counted too: nine more go through, the next waits.
    for (const id of ids.slice(0, 9)) expect((await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/${id}/redeliver`, { method: "POST" })).status, id).toBe(202);
    const refused = await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/${ids[9]}/redeliver`, { method: "POST" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/^Too many redeliveries in the last minute: try again in \d+ s$/);

    await api("/api/trpc/user.create", { method: "POST", body: { username: "mallory", password: "mallory-password-1" } });
    const mallory = basicAuth("mallory", "mallory-password-1");
    for (const path of [`/v1alpha/webhooks/${endpoint.id}/deliveries/${ids[10]}`, `/v1alpha/webhooks/${endpoint.id}/deliveries/${ids[10]}/redeliver`]) {
      const answer = await request(`${server.url}${path}`, { auth: mallory, method: path.endsWith("redeliver") ? "POST" : "GET" });
      expect(answer.status, path).toBe(404);
    }
    expect((await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await api(`/v1alpha/webhooks/${endpoint.id}/deliveries/not-a-uuid`)).status).toBe(400);
  });
});
