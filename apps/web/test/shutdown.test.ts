import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@tokensmith/db";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

// SIGTERM: requests in flight finish, what was counted reaches the database, and the process exits
// 0. (A verifier following the revocation feed: packages/verify/test/failover.test.ts.)
const ADMIN_PASSWORD = "shutdown-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
const started: RunningServer[] = [];
const start = async (env: Record<string, string>) => {
  const server = await startServer({ ADMIN_PASSWORD, USAGE_FLUSH_INTERVAL: "1 hour", ...env });
  started.push(server);
  return server;
};
afterAll(async () => {
  for (const server of started) await server.stop();
});

const exited = (server: RunningServer) => new Promise<number | null>((resolve) => (server.process.exitCode !== null ? resolve(server.process.exitCode) : server.process.once("exit", resolve)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A POST whose body arrives in two halves, `gapMs` apart: in flight all that time. */
function slowCreate(url: string, gapMs: number, halfway: () => void): Promise<{ status: number; head: string; body: string }> {
  const body = JSON.stringify({ jwt_token_description: "answered while stopping", jwt_token_life: "1 hour" });
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST /v1alpha/token/ HTTP/1.1\r\nHost: x\r\nAuthorization: ${ADMIN}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
      halfway();
      setTimeout(() => socket.write(body.slice(10)), gapMs);
    });
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", rest = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body: rest });
    });
  });
}

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    socket.on("connect", () => (socket.destroy(), resolve(false)));
    socket.on("error", () => resolve(true));
  });

describe.each([["1"], ["2"]])("SIGTERM with WORKERS=%s", (workers) => {
  it("finishes a slow request in flight, stops accepting, writes every use counted, exits 0", async () => {
    const database = await testDatabase();
    const server = await start({ DATABASE_URL: database.url, WORKERS: workers, SHUTDOWN_TIMEOUT: "20 seconds" });
    const token = (await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "used", jwt_token_life: "1 hour" } })).body;
    // Answered just before SIGTERM, counted only in memory (USAGE_FLUSH_INTERVAL is an hour).
    for (let i = 0; i < 25; i++) expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${token.jwt_token}` })).status).toBe(200);
    let signalled!: () => void;
    const sent = new Promise<void>((resolve) => (signalled = resolve));
    // Longer than the 5 s an earlier release waited before exiting anyway.
    const slow = slowCreate(server.url, 7000, () => signalled());
    await sent;
    await sleep(500);
    server.process.kill("SIGTERM");
    await sleep(1500);
    expect(await refused(server.url)).toBe(true);
    const answer = await slow;
    expect(answer.status).toBe(201);
    expect(answer.head.toLowerCase()).toContain("connection: close");
    expect(await exited(server)).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: stopped in \d+ ms/);

    const opened = await openDatabase(database.url);
    try {
      const rows = await opened.db.tokenUsage.findMany({ where: { tokenId: token.jwt_token_id } });
      expect(rows.reduce((sum, row) => sum + row.allowed, 0)).toBe(25);
      const row = await opened.db.accessToken.findUnique({ where: { id: token.jwt_token_id } });
      expect(row?.lastUsedAt).not.toBeNull();
      const made = JSON.parse(answer.body.slice(answer.body.indexOf("{"), answer.body.lastIndexOf("}") + 1));
      expect(await opened.db.accessToken.findUnique({ where: { id: made.jwt_token_id } })).not.toBeNull();
    } finally {
      await opened.close();
    }
  }, 90_000);
});

it("cuts requests still in flight at SHUTDOWN_TIMEOUT and exits 0 all the same", async () => {
  const server = await start({ DATABASE_URL: (await testDatabase()).url, SHUTDOWN_TIMEOUT: "2 seconds" });
  let signalled!: () => void;
  const sent = new Promise<void>((resolve) => (signalled = resolve));
  const never = slowCreate(server.url, 60_000, () => signalled());
  await sent;
  await sleep(300);
  const at = performance.now();
  server.process.kill("SIGTERM");
  expect(await exited(server)).toBe(0);
  expect(performance.now() - at).toBeLessThan(15_000);
  expect((await never).status).toBeNaN();
  expect(server.output()).toMatch(/1 requests still in flight after 2 s \(SHUTDOWN_TIMEOUT\)/);
}, 60_000);
