import { afterAll, beforeAll, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { WebhookReceiver } from "./support/webhook-receiver.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Two instances on one PostgreSQL database, both delivering: every event reaches the receiver
 * exactly once (claims are taken FOR UPDATE SKIP LOCKED, so no two instances send the same one).
 */
const ADMIN_PASSWORD = "instances-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let database: TestDatabase;
const servers: RunningServer[] = [];
const receiver = new WebhookReceiver();

beforeAll(async () => {
  database = await testDatabase();
  await receiver.start();
  // Polling often, so that both instances keep competing for the same deliveries.
  const env = { DATABASE_URL: database.url, ADMIN_PASSWORD, WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_POLL_INTERVAL: "1 second" };
  servers.push(await startServer(env));
  servers.push(await startServer(env));
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  await receiver.stop();
  await database?.drop();
});

it("every event is delivered once, whichever instance wrote it", async () => {
  const created = await request(`${servers[0]!.url}/v1alpha/webhooks/`, { method: "POST", auth: ADMIN, body: { url: receiver.url(), events: ["token.created"] } });
  receiver.secret = created.body.secret;
  const ids = await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const server = servers[i % 2]!;
      const answer = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: `t${i}`, jwt_token_life: "1 hour" } });
      return answer.body.jwt_token_id as string;
    }),
  );
  for (const id of ids) await receiver.waitFor((r) => r.json.data.token_id === id);
  // A couple more polls by both instances: nothing is sent again.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const events = receiver.ofType("token.created");
  expect(events).toHaveLength(40);
  expect(new Set(events.map((e) => e.id)).size).toBe(40);
  expect(events.every((e) => e.verified)).toBe(true);
});
