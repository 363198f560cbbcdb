import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * A burst of events to a receiver that answers nothing: the deliverer keeps at most 64 POSTs open
 * (MAX_DELIVERIES_IN_FLIGHT), and once the receiver answers, every event still arrives.
 */
const ADMIN = basicAuth("admin", "in-flight-admin-password");
const EVENTS = 80;
let server: RunningServer;
let database: TestDatabase;
let receiver: http.Server;
let holding = true;
const held: http.ServerResponse[] = [];
const delivered = new Set<string>();
let open = 0;
let mostOpen = 0;

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      res.on("close", () => open--);
      const tokenId = (JSON.parse(body) as { data: { token_id: string } }).data.token_id;
      if (holding) {
        held.push(res);
        res.on("finish", () => delivered.add(tokenId));
      } else {
        delivered.add(tokenId);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  database = await testDatabase();
  server = await startServer({
    DATABASE_URL: database.url,
    ADMIN_PASSWORD: "in-flight-admin-password",
    WEBHOOK_ALLOW_PRIVATE: "1",
    WEBHOOK_TIMEOUT: "30 seconds",
    WEBHOOK_POLL_INTERVAL: "1 second",
  });
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await server?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  await database?.drop();
});

it("keeps at most 64 deliveries open at once, and delivers every event once the receiver answers", async () => {
  const port = (receiver.address() as AddressInfo).port;
  const hook = await request(`${server.url}/v1alpha/webhooks/`, { auth: ADMIN, method: "POST", body: { url: `http://127.0.0.1:${port}/`, events: ["token.created"] } });
  expect(hook.status).toBe(201);
  const token = (await request(`${server.url}/v1alpha/token/`, { auth: ADMIN, method: "POST", body: { jwt_token_description: "maker", jwt_token_life: "1 hour" } })).body;
  const bearer = `Bearer ${token.jwt_token}`;
  const made = await Promise.all(
    Array.from({ length: EVENTS }, (_, i) =>
      request(`${server.url}/v1alpha/token/`, { auth: bearer, method: "POST", body: { jwt_token_description: `burst ${i}`, jwt_token_life: "30 minutes" } }),
    ),
  );
  expect(made.every((r) => r.status === 201)).toBe(true);
  // Wait until the deliverer has filled every slot it may (and a few polls more, to see it stop there).
  for (let i = 0; i < 100 && held.length < 64; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(held.length).toBe(64);
  expect(mostOpen).toBe(64);
  holding = false;
  for (const res of held.splice(0)) res.end();
  for (let i = 0; i < 150 && delivered.size < EVENTS + 1; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const expected = [token.jwt_token_id, ...made.map((r) => r.body.jwt_token_id as string)];
  expect([...delivered].sort()).toEqual(expected.sort());
}, 60_000);
