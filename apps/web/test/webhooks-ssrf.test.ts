import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Without WEBHOOK_ALLOW_PRIVATE, internal receivers are refused when the URL is saved and again when
 * a delivery is made: an endpoint saved while it was allowed (or whose name now resolves inward)
 * is never reached.
 */
const ADMIN_PASSWORD = "ssrf-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let database: TestDatabase;
const receiver = new WebhookReceiver();
let server: RunningServer | undefined;
const baseEnv = () => ({ DATABASE_URL: database.url, ADMIN_PASSWORD, WEBHOOK_POLL_INTERVAL: "1 second", WEBHOOK_RETRY_BASE: "1 second" });
const api = (path: string, body?: unknown) => request(`${server!.url}${path}`, { auth: ADMIN, ...(body === undefined ? {} : { method: "POST", body }) });

beforeAll(async () => {
  database = await testDatabase();
  await receiver.start();
});
afterAll(async () => {
  await server?.stop();
  await receiver.stop();
  await database?.drop();
});

describe("SSRF: internal receivers are refused by default", () => {
  it("at save: loopback, private, link-local, CGNAT, metadata, mapped forms, a name resolving to 127.0.0.1, and http://", async () => {
    server = await startServer(baseEnv());
    const port = new URL(receiver.url()).port;
    const refused = [
      `https://localhost:${port}/hook`,
      `https://127.0.0.1:${port}/hook`,
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://10.0.0.5/hook",
      "https://192.168.0.10/hook",
      "https://172.20.1.1/hook",
      "https://100.64.1.1/hook",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fd00:ec2::254]/",
      "https://[fe80::1]/hook",
      "https://0.0.0.0/hook",
      "https://no-such-host.invalid/hook",
      receiver.url(),
    ];
    for (const url of refused) {
      const answer = await api("/v1alpha/webhooks/", { url, events: ["token.created"] });
      expect(answer.status, url).toBe(400);
      expect(answer.body.errors, url).toEqual([{ field: "url", message: expect.any(String) }]);
    }
    // Each refusal by policy names the setting that would allow it, and what it risks.
    const loopback = (await api("/v1alpha/webhooks/", { url: `https://localhost:${port}/hook`, events: ["token.created"] })).body.errors[0].message;
    expect(loopback).toMatch(/loopback.*WEBHOOK_ALLOW_PRIVATE=1 allows it, for receivers on your own network; it also lets every user aim webhooks at this server's network/);
    const plain = (await api("/v1alpha/webhooks/", { url: receiver.url(), events: ["token.created"] })).body.errors[0].message;
    expect(plain).toMatch(/^must be an https:\/\/ URL: http:\/\/ would send events unencrypted\. WEBHOOK_ALLOW_PRIVATE=1 allows it/);
    expect((await api("/v1alpha/webhooks/")).body.webhooks).toEqual([]);
    await server.stop();
    server = undefined;
  });

  it("at delivery: an endpoint saved while allowed is not reached once WEBHOOK_ALLOW_PRIVATE is off", async () => {
    server = await startServer({ ...baseEnv(), WEBHOOK_ALLOW_PRIVATE: "1" });
    const created = await api("/v1alpha/webhooks/", { url: receiver.url(), events: ["token.created"] });
    expect(created.status).toBe(201);
    await server.stop();
    server = await startServer(baseEnv());
    const token = (await api("/v1alpha/token/", { jwt_token_description: "not for you", jwt_token_life: "1 hour" })).body;
    expect(token.jwt_token_id).toBeTruthy();
    await expect
      .poll(async () => (await api(`/v1alpha/webhooks/${created.body.id}/deliveries`)).body.deliveries[0]?.attempt_log[0]?.error, { timeout: 10_000 })
      // The receiver is http:// on loopback: the URL rule refuses it before the host is resolved.
      .toMatch(/^refused: the endpoint URL must be an https:\/\/ URL: http:\/\/ would send events unencrypted\. WEBHOOK_ALLOW_PRIVATE=1/);
    const [delivery] = (await api(`/v1alpha/webhooks/${created.body.id}/deliveries`)).body.deliveries;
    expect(delivery.state).toBe("pending");
    expect(delivery.attempt_log[0].status_code).toBeNull();
    expect(receiver.received).toEqual([]);
  });
});
