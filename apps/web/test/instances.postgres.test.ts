import fs from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginx, startPostgresCluster, usageTotals, type Nginx, type PostgresCluster } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * Several instances on one PostgreSQL: one truth, revocation seen everywhere at once, and faults
 * (an instance killed, its listening connection cut, the database stopped) handled cleanly.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
const NGINX_CONFIG = fileURLToPath(new URL("../../../deploy/nginx/instances.conf", import.meta.url));
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});
const startAll = (url: string, n: number, env: Record<string, string> = {}) =>
  Promise.all(Array.from({ length: n }, () => startServer({ DATABASE_URL: url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1", ...env })));
async function create(server: RunningServer, auth = ADMIN, life = "1 day") {
  const res = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth, body: { jwt_token_description: "shared", jwt_token_life: life } });
  return res as { status: number; body: { jwt_token: string; jwt_token_id: string } };
}
const self = (server: RunningServer, token: string) => request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${token}` });

describe("three instances on one PostgreSQL", () => {
  let instances: RunningServer[];
  beforeAll(async () => {
    instances = await startAll((await testDatabase()).url, 3);
  });
  afterAll(() => Promise.all(instances.map((s) => s.stop())));

  it("a token made on A works on B and C; revoked on C, A and B refuse it on their very next request", async () => {
    const [a, b, c] = instances as [RunningServer, RunningServer, RunningServer];
    let worstMs = 0;
    for (let round = 0; round < 10; round++) {
      const { body } = await create(a);
      // Warm every instance's cache with the token.
      for (const s of instances) expect((await self(s, body.jwt_token)).status).toBe(200);
      const revoked = await request(`${c.url}/v1alpha/token/${body.jwt_token_id}`, { method: "DELETE", auth: ADMIN });
      expect(revoked.status).toBe(200);
      const answeredAt = performance.now();
      const [onA, onB] = await Promise.all([self(a, body.jwt_token), self(b, body.jwt_token)]);
      worstMs = Math.max(worstMs, performance.now() - answeredAt);
      expect([onA.status, onB.status]).toEqual([401, 401]);
    }
    console.log(`revocation across instances: refused on the very next request every time; slowest next request ${worstMs.toFixed(1)} ms`);
  });

  it("90 concurrent creates spread over three are all listed everywhere", async () => {
    const created = await Promise.all(Array.from({ length: 90 }, (_, i) => create(instances[i % 3]!)));
    expect(created.every((r) => r.status === 201)).toBe(true);
    const ids = created.map((r) => r.body.jwt_token_id);
    for (const s of instances) {
      const listed = Object.keys((await request(`${s.url}/v1alpha/token/`, { auth: ADMIN })).body.jwt_tokens);
      for (const id of ids) expect(listed).toContain(id);
    }
  });

  it("a token's rate limit holds across the three within the documented tolerance: (3 − 1) × max(1, ⌊limit/20⌋)", async () => {
    const created = await request(`${instances[0]!.url}/v1alpha/token/`, {
      method: "POST",
      auth: ADMIN,
      body: { jwt_token_description: "limited", jwt_token_life: "1 day", jwt_token_rate_limit: { requests: 100, per: "1 day" } },
    });
    const token = created.body.jwt_token as string;
    const day = () => Math.floor(Date.now() / 86_400_000);
    const startedOn = day();
    const statuses: number[] = [];
    // 300 requests, 30 at a time, spread over the three instances.
    for (let round = 0; round < 10; round++) {
      statuses.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => self(instances[i % 3]!, token).then((r) => r.status)))));
    }
    if (day() !== startedOn) return console.log("rate limit across instances: the day's window turned during the test; not judged");
    const allowed = statuses.filter((s) => s === 200).length;
    console.log(`rate limit 100/day across three instances: ${allowed} allowed of 300`);
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed).toBeLessThanOrEqual(100 + 2 * 5);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
  });

  it("wrong passwords spread over the three are limited as one", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        request(`${instances[i % 3]!.url}/v1alpha/token/`, { auth: basicAuth("admin", `guess-${i}`), headers: { "x-forwarded-for": "203.0.113.50" } }).then((r) => r.status),
      ),
    );
    expect(tally(statuses)).toEqual({ 401: 5, 429: 25 });
  });

  it("a cut listening connection: no stale accept meanwhile, and recovery", async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const { body } = await create(a);
    expect((await self(a, body.jwt_token)).status).toBe(200);
    const admin = new pg.Client({ connectionString: (await testDatabase()).url.replace(/\/[^/]+$/, "/postgres") });
    await admin.connect();
    // Every LISTEN connection of this cluster (all three instances'): none may keep serving cached rows.
    const { rows } = await admin.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'tokensmith-listener'`);
    await admin.end();
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
    expect((await request(`${b.url}/v1alpha/token/${body.jwt_token_id}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
    expect((await self(a, body.jwt_token)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(a.output()).toMatch(/change notifications down: .*\n(.|\n)*change notifications live: listening/);
    const fresh = await create(b);
    expect((await self(a, fresh.body.jwt_token)).status).toBe(200);
  });
});

describe("faults", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  });
  afterAll(() => cluster?.stop());

  it("kill -9 of one instance mid-load loses no acknowledged token", async () => {
    const [a, b] = await startAll(cluster.url(), 2);
    // Creates with a Bearer token (no password hash each): many in flight when the kill lands.
    const bearer = `Bearer ${(await create(a!)).body.jwt_token}`;
    const acknowledged: string[] = [];
    let stop = false;
    const load = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const res = await create(a!, bearer, "1 hour").catch(() => null);
        if (res?.status === 201) acknowledged.push(res.body.jwt_token_id);
      }
    });
    for (let waited = 0; acknowledged.length < 50 && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    a!.process.kill("SIGKILL");
    stop = true;
    await Promise.all(load);
    expect(acknowledged.length).toBeGreaterThan(10);
    const listed = Object.keys((await request(`${b!.url}/v1alpha/token/`, { auth: ADMIN })).body.jwt_tokens);
    for (const id of acknowledged) expect(listed).toContain(id);
    await b!.stop();
  });

  it("stopping PostgreSQL gives clear 503s, never 500s or accepts, and recovers without a restart", async () => {
    const [a] = await startAll(cluster.url(), 1);
    const { body } = await create(a!);
    expect((await self(a!, body.jwt_token)).status).toBe(200);
    cluster.halt();
    const during: number[] = [];
    for (let i = 0; i < 5; i++) {
      for (const res of [await self(a!, body.jwt_token), await create(a!), await request(`${a!.url}/api/trpc/token.list`, { auth: ADMIN })]) {
        during.push(res.status);
        if (res.status === 503) expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      }
    }
    expect(new Set(during)).toEqual(new Set([503]));
    cluster.start();
    let after = 0;
    for (let i = 0; i < 50 && after !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = (await self(a!, body.jwt_token)).status;
    }
    expect(after).toBe(200);
    expect((await create(a!)).status).toBe(201);
    // A stack trace printed as is, or inside a JSON log line (its newlines escaped).
    expect(a!.output()).not.toMatch(/Internal server error|\n\s+at |\\n\s+at /);
    await a!.stop();
  });
});

describe("three instances behind nginx, with the configuration the docs show", () => {
  let instances: RunningServer[];
  let proxy: Nginx;
  beforeAll(async () => {
    instances = await startAll((await testDatabase()).url, 3);
    const ports = instances.map((s) => new URL(s.url).port);
    const config = fs
      .readFileSync(NGINX_CONFIG, "utf8")
      .replace("listen 80;", "listen 127.0.0.1:{{port}};")
      .replace(/127\.0\.0\.1:300(\d)/g, (_, n: string) => `127.0.0.1:${ports[Number(n) - 1]}`);
    proxy = await startNginx(config);
  });
  afterAll(async () => {
    proxy?.stop();
    await Promise.all(instances.map((s) => s.stop()));
  });

  it("spreads requests over every instance; tokens, revocation, sign-in and limits hold through it", async () => {
    const viaProxy = { url: proxy.url } as RunningServer;
    const created = await Promise.all(Array.from({ length: 12 }, () => create(viaProxy)));
    expect(created.every((r) => r.status === 201)).toBe(true);
    for (const { body } of created) expect((await self(viaProxy, body.jwt_token)).status).toBe(200);
    const token = created[0]!.body;
    expect((await request(`${proxy.url}/v1alpha/token/${token.jwt_token_id}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await self(viaProxy, token.jwt_token)).status).toBe(401);
    // The dashboard's sign-in works through the proxy (its Origin is the proxy's), and the cookie on any instance.
    const signIn = await fetch(`${proxy.url}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: proxy.url },
      body: JSON.stringify({ username: "admin", password: "admin-password-1" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    for (let i = 0; i < 6; i++) expect((await request(`${proxy.url}/api/trpc/auth.me`, { headers: { cookie } })).status).toBe(200);
    // Guesses through the proxy count per real client address, across all three instances.
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => request(`${proxy.url}/v1alpha/token/`, { auth: basicAuth("admin", `nope-${i}`) }).then((r) => r.status)),
    );
    expect(tally(guesses)).toEqual({ 401: 5, 429: 7 });
    // The same client (as a proxy names it) asking any instance directly is locked too: the limits live in the database.
    const sameClient = { "x-forwarded-for": "127.0.0.1" };
    const direct = await Promise.all(instances.map((s) => request(`${s.url}/v1alpha/token/`, { auth: ADMIN, headers: sameClient })));
    expect(direct.map((r) => r.status)).toEqual([429, 429, 429]);
    // Another client signing in on all three at the same moment: each succeeds (settling the attempts
    // of three successes at once deadlocked in PostgreSQL, as a 500, before each key had its own statement).
    for (let round = 0; round < 5; round++) {
      const elsewhere = { "x-forwarded-for": `198.51.100.${round + 1}` };
      const together = await Promise.all(instances.map((s) => request(`${s.url}/v1alpha/token/`, { auth: ADMIN, headers: elsewhere })));
      expect(together.map((r) => r.status)).toEqual([200, 200, 200]);
    }
  });
});

describe("usage counted on several instances", () => {
  it("adds up", async () => {
    const [a, b] = await startAll((await testDatabase()).url, 2, { USAGE_FLUSH_INTERVAL: "1 second" });
    const { body } = await create(a!);
    for (const server of [a, a, a, b, b] as RunningServer[]) expect((await self(server, body.jwt_token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    for (const server of [a, b] as RunningServer[]) {
      const usage = await request(`${server.url}/v1alpha/token/${body.jwt_token_id}/usage`, { auth: ADMIN });
      expect(usageTotals(usage.body.hourly).allowed).toBe(5);
    }
    await Promise.all([a!.stop(), b!.stop()]);
  });
});
