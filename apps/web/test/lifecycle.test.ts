import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});
async function start(env: Record<string, string>) {
  const server = await startServer(env);
  running.push(server);
  return server;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const admin = basicAuth("admin", "admin-password-1");

describe("token lifecycle on the real server", () => {
  it("a 2-second token works, then expires: refused as Bearer, listed as Expired with 0 remaining", async () => {
    const server = await start({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
    const api = `${server.url}/v1alpha/token/`;
    const { body } = await request(api, { method: "POST", auth: admin, body: { jwt_token_description: "short", jwt_token_life: "2 seconds" } });
    expect(body.jwt_token_life).toBe(2);
    const bearer = `Bearer ${body.jwt_token}`;
    expect((await request(api, { auth: bearer })).status).toBe(200);

    await sleep(2_100);
    const refused = await request(api, { auth: bearer });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    const got = await request(`${api}${body.jwt_token_id}`, { auth: admin });
    expect(got.body).toMatchObject({ expiry_status: "Expired", jwt_token_life_remaining: 0 });
    const listed = await request(api, { auth: admin });
    expect(listed.body.jwt_tokens[body.jwt_token_id]).toMatchObject({ jwt_token_remaining_life: 0, expiry_status: "Expired" });
  });

  it("persists 100 concurrent creates, all listed", async () => {
    const server = await start({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
    const api = `${server.url}/v1alpha/token/`;
    const seed = await request(api, { method: "POST", auth: admin, body: { jwt_token_description: "seed", jwt_token_life: "2 days" } });
    const bearer = `Bearer ${seed.body.jwt_token}`;
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        request(api, { method: "POST", auth: bearer, body: { jwt_token_description: `concurrent ${i}`, jwt_token_life: "1 day" } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(201));
    const ids = new Set(responses.map((r) => r.body.jwt_token_id));
    expect(ids.size).toBe(100);
    const listed = await request(api, { auth: admin });
    const listedIds = Object.keys(listed.body.jwt_tokens);
    expect(listedIds).toHaveLength(101);
    for (const id of ids) expect(listedIds).toContain(id);
  });

  it("keeps tokens and their validity across a restart on the same database file", async () => {
    const db = await testDatabase();
    const first = await start({ DATABASE_URL: db.url, ADMIN_PASSWORD: "admin-password-1" });
    const created = await request(`${first.url}/v1alpha/token/`, {
      method: "POST",
      auth: admin,
      body: { jwt_token_description: "survivor", jwt_token_life: "1 day" },
    });
    const revoked = await request(`${first.url}/v1alpha/token/`, {
      method: "POST",
      auth: admin,
      body: { jwt_token_description: "gone", jwt_token_life: "1 day" },
    });
    await request(`${first.url}/v1alpha/token/${revoked.body.jwt_token_id}`, { method: "DELETE", auth: admin });
    expect(await first.stop()).toBe(0);
    running.splice(running.indexOf(first), 1);

    // No secret is configured: the signing key kept (sealed) in the database and the master secret
    // file next to it must both have survived the restart.
    const second = await start({ DATABASE_URL: db.url });
    const listed = await request(`${second.url}/v1alpha/token/`, { auth: `Bearer ${created.body.jwt_token}` });
    expect(listed.status).toBe(200);
    expect(Object.keys(listed.body.jwt_tokens)).toEqual([created.body.jwt_token_id]);
    expect((await request(`${second.url}/v1alpha/token/`, { auth: `Bearer ${revoked.body.jwt_token}` })).status).toBe(401);
    expect(second.output()).not.toContain("First start");
  });

  it("generates and prints a strong admin password on first start when none is set", async () => {
    const server = await start({ DATABASE_URL: (await testDatabase()).url, ADMIN_USERNAME: "root" });
    const match = /generated password\s+(\S+)/.exec(server.output());
    expect(match).not.toBeNull();
    const password = match![1]!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await request(`${server.url}/v1alpha/token/`, { auth: basicAuth("root", password) })).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token/`, { auth: basicAuth("admin", password) })).status).toBe(401);
  });

  it.each([
    [{ JWT_SECRET: "too-short" }, /JWT_SECRET must be at least 32 characters/],
    [{ MAX_TOKEN_LIFE: "forever" }, /MAX_TOKEN_LIFE: Invalid lifetime "forever"/],
    [{ PORT: "http" }, /PORT "http" is not a port number/],
    [{ TRUST_PROXY: "maybe" }, /TRUST_PROXY "maybe" must be false, true, or the number of proxies/],
    // Once silently taken for a file name: the service ran on a new SQLite file named "mysql:/…".
    [{ DATABASE_URL: "mysql://root@db/tokensmith" }, /DATABASE_URL "mysql:\/\/root@db\/tokensmith" is neither SQLite .* nor PostgreSQL/],
    [{ DATABASE_URL: "postgresql://user:s3cret@[::1" }, /^Configuration error: DATABASE_URL is not a valid PostgreSQL URL\n$/],
  ])("refuses to start with bad configuration %j", async (env, message) => {
    const server = fileURLToPath(new URL("../dist/server.js", import.meta.url));
    const result = spawnSync(process.execPath, [server], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: (await testDatabase()).url, ...env },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
