import { afterAll, beforeAll, expect, it } from "vitest";
import { startPostgresCluster, startServer, type PostgresCluster, type RunningServer } from "@tokensmith/testkit";
import { request } from "./support/server.js";

// Readiness follows PostgreSQL: stopped under a running server, /healthz/ready says 503 naming the
// database and the change listener (and Specter's probe 500); started again, 200 by itself.
let cluster: PostgresCluster;
let server: RunningServer;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  server = await startServer({ DATABASE_URL: cluster.url(), ADMIN_PASSWORD: "health-pg-admin-password" });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  cluster?.stop();
});

async function until<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}\n${server.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("goes 503 with the failing checks named while PostgreSQL is stopped, and 200 again once it is back", async () => {
  expect((await request(`${server.url}/healthz/ready`)).status).toBe(200);
  cluster.halt();
  try {
    const down = await until("not ready", () => request(`${server.url}/healthz/ready`), (r) =>
      // The last answer (up to a second old) and the listener's drop (heartbeats: up to 3 s) catch up.
      r.status === 503 && r.body.failing.includes("database") && r.body.failing.includes("change_listener"),
    );
    expect(down.body).toEqual({
      status: "not ready",
      failing: ["database", "migrations", "change_listener"],
      checks: { database: "failing", migrations: "unknown", signing_keys: "ok", change_listener: "failing" },
    });
    expect(down.headers.get("retry-after")).toBe("5");
    expect(down.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat/i);
    const specter = await request(`${server.url}/api/healthz/readyness`);
    expect([specter.status, specter.body]).toEqual([500, { message: "Readyness probe failed" }]);
    // Liveness is about the process, not its dependencies.
    expect((await request(`${server.url}/healthz/live`)).status).toBe(200);
    expect((await request(`${server.url}/api/healthz/liveness`)).status).toBe(200);
  } finally {
    cluster.start();
  }
  const up = await until("ready again", () => request(`${server.url}/healthz/ready`), (r) => r.status === 200);
  expect(up.body.checks).toEqual({ database: "ok", migrations: "ok", signing_keys: "ok", change_listener: "ok" });
  expect((await request(`${server.url}/api/healthz/readyness`)).status).toBe(200);
}, 90_000);
