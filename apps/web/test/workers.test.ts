import http from "node:http";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, startServer, testDatabase, type RunningServer } from "./support/server.js";

// The built server with WORKERS=2: two processes share the port (node:cluster hands connections
// round-robin), one database, and nothing in memory.
let server: RunningServer;
const admin = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", WORKERS: "2" });
});
afterAll(() => server?.stop());

/** One request on a connection of its own (no keep-alive pool): each may land on either worker. */
function fresh(method: string, path: string, auth: string, body?: unknown, agent: http.Agent | false = false): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method, agent, headers: { authorization: auth, "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const workerPids = () => (/, 2 workers: ([\d, ]+)\)/.exec(server.output())?.[1] ?? "").split(", ").map(Number);

describe("WORKERS=2", () => {
  it("starts two workers after making the first admin once", () => {
    expect(new Set(workerPids()).size).toBe(2);
    expect(server.output().match(/First start: created admin/g)).toHaveLength(1);
  });

  it("refuses a token revoked through one worker on every following request, on both", async () => {
    const created = await fresh("POST", "/v1alpha/token/", admin, { jwt_token_description: "two workers", jwt_token_life: "1 hour" });
    expect(created.status).toBe(201);
    const bearer = `Bearer ${created.body.jwt_token}`;
    const path = `/v1alpha/token/${created.body.jwt_token_id}`;
    // Both workers have verified the token and cached its row.
    for (let i = 0; i < 20; i++) expect((await fresh("GET", path, bearer)).status).toBe(200);
    expect((await fresh("DELETE", path, admin)).status).toBe(200);
    const after: number[] = [];
    for (let i = 0; i < 20; i++) after.push((await fresh("GET", path, bearer)).status);
    after.push(...(await Promise.all(Array.from({ length: 20 }, async () => (await fresh("GET", path, bearer)).status))));
    expect(new Set(after)).toEqual(new Set([401]));
  });

  it("refuses it from the very next request while 16 kept-alive connections load both workers", async () => {
    const created = await fresh("POST", "/v1alpha/token/", admin, { jwt_token_description: "under load", jwt_token_life: "1 hour" });
    const bearer = `Bearer ${created.body.jwt_token}`;
    const path = `/v1alpha/token/${created.body.jwt_token_id}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    let revokedAt = Infinity;
    let stop = false;
    const afterRevoke: number[] = [];
    const clients = Array.from({ length: 16 }, async () => {
      while (!stop) {
        const startedAt = performance.now();
        const { status } = await fresh("GET", path, bearer, undefined, agent);
        if (startedAt > revokedAt) afterRevoke.push(status);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await fresh("DELETE", path, admin)).status).toBe(200);
    revokedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    expect(afterRevoke.length).toBeGreaterThan(16);
    expect(new Set(afterRevoke)).toEqual(new Set([401]));
  });

  it("holds a token's rate limit across the workers (through the shared window table)", async () => {
    const created = await fresh("POST", "/v1alpha/token/", admin, {
      jwt_token_description: "limited",
      jwt_token_life: "1 hour",
      jwt_token_rate_limit: { requests: 20, per: "1 hour" },
    });
    const bearer = `Bearer ${created.body.jwt_token}`;
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await fresh("GET", "/v1alpha/token/", bearer)).status);
    const served = statuses.filter((s) => s === 200).length;
    // The documented bound for N processes: within (N - 1) * limit / 20 of the limit.
    expect(served).toBeGreaterThanOrEqual(20);
    expect(served).toBeLessThanOrEqual(21);
    expect(statuses.filter((s) => s === 429).length).toBe(60 - served);
  });

  it("stops every worker on SIGTERM and exits 0", async () => {
    const pids = workerPids();
    expect(await server.stop()).toBe(0);
    for (const pid of pids) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  });
});
