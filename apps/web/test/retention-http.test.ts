import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, TEST_FEED_KEY, testDatabase, type RunningServer } from "./support/server.js";
import { follow } from "./support/sse.js";
import { count, sql, sqlDate } from "./support/sql.js";

/**
 * Retention in the real server, on real clocks shortened by its settings: ended tokens go two
 * seconds after their end, sessions when they expire, audit events after four seconds — and a
 * revoked token whose JWT has not expired stays, refused and in the revocation feed.
 */
let database: TestDatabase;
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({
    DATABASE_URL: database.url,
    ADMIN_PASSWORD: "admin-password-1",
    TOKEN_RETENTION: "2 seconds",
    AUDIT_RETENTION: "4 seconds",
    RETENTION_INTERVAL: "1 second",
    SESSION_LIFE: "1 second",
    USAGE_FLUSH_INTERVAL: "1 second",
  });
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function create(life: string): Promise<{ id: string; jwt: string }> {
  const res = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "r", jwt_token_life: life } });
  expect(res.status).toBe(201);
  return { id: res.body.jwt_token_id, jwt: res.body.jwt_token };
}
const self = (jwt: string) => request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${jwt}` });
const tokenRows = async () => (await sql<{ id: string }>(database, `SELECT "id" FROM "AccessToken"`)).map((r) => r.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms; server output:\n${server.output()}`);
    await sleep(100);
  }
}

describe("retention", () => {
  it("deletes ended tokens with their usage, expired sessions and old audit events — never a revoked token whose JWT still verifies", async () => {
    const shortLived = await create("3 seconds");
    const revokedForAYear = await create("365 days");
    const live = await create("1 hour");
    expect((await self(shortLived.jwt)).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token/${revokedForAYear.id}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
    const signIn = await fetch(`${server.url}/api/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url },
      body: JSON.stringify({ username: "admin", password: "admin-password-1" }),
    });
    expect(signIn.status).toBe(200);
    await until(async () => (await count(database, `SELECT count(*) AS n FROM "TokenUsage" WHERE "tokenId" = ?`, [shortLived.id])) > 0);
    const revokedAt = Date.now();

    // The short-lived token ended three seconds after it was made: two seconds later it goes, with its usage.
    await until(async () => !(await tokenRows()).includes(shortLived.id));
    expect(await count(database, `SELECT count(*) AS n FROM "TokenUsage" WHERE "tokenId" = ?`, [shortLived.id])).toBe(0);
    await until(async () => (await count(database, `SELECT count(*) AS n FROM "Session"`)) === 0);

    // The revoked token is as far past TOKEN_RETENTION, and another pass has run: its JWT still
    // verifies for a year, so its row and its feed entry stay, and it is refused everywhere.
    await sleep(Math.max(0, revokedAt + 3500 - Date.now()));
    expect((await tokenRows()).sort()).toEqual([revokedForAYear.id, live.id].sort());
    const refused = await self(revokedForAYear.jwt);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    const introspected = await request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token: revokedForAYear.jwt } });
    expect(introspected.body).toEqual({ active: false });
    const feed = await follow(`${server.url}/v1alpha/revocations`, { authorization: `Bearer ${TEST_FEED_KEY}` });
    await feed.next((e) => e.event === "snapshot");
    feed.close();
    expect(feed.events.filter((e) => e.event === "revoked").map((e) => e.data.jti)).toContain(revokedForAYear.id);
    expect(await count(database, `SELECT count(*) AS n FROM "TokenRevocation" WHERE "tokenId" = ?`, [revokedForAYear.id])).toBe(1);
    expect((await self(live.jwt)).status).toBe(200);

    // Audit events older than four seconds go; a new one stays.
    await create("1 hour");
    await until(async () => (await count(database, `SELECT count(*) AS n FROM "AuditEvent" WHERE "action" = 'token.revoke'`)) === 0);
    expect(await count(database, `SELECT count(*) AS n FROM "AuditEvent" WHERE "action" = 'token.create'`)).toBeGreaterThan(0);
    expect(server.output()).toMatch(/\[retention\] deleted \d+ expired sessions, \d+ audit events \(kept 4 seconds\), \d+ ended tokens \(kept 2 seconds\) in \d+ ms/);
  });

  it("prunes a backlog in batches while requests keep being served", async () => {
    const N = 50_000;
    const user = (await sql<{ id: string }>(database, `SELECT "id" FROM "User" WHERE "username" = 'admin'`))[0]!.id;
    const longAgo = Date.now() - 86_400_000;
    const live = await create("1 hour");
    // A year of ended tokens, each with a usage row, written behind the server's back.
    const series =
      database.kind === "sqlite"
        ? `(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N}) SELECT i FROM s)`
        : `(SELECT generate_series(1, ${N}) AS i)`;
    // Usage rows first: a retention pass may run between the two statements, and it must find
    // each token's usage already there (the other order left a batch of orphans behind).
    await sql(database, `INSERT INTO "TokenUsage" ("tokenId", "hour", "allowed") SELECT 'old-' || i, ?, 1 FROM ${series} AS s`, [sqlDate(database, longAgo - 3_600_000)]);
    await sql(database, `INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "createdAt", "expiresAt")
      SELECT 'old-' || i, ?, 'old', 3600, 'hash-' || i, ?, ? FROM ${series} AS s`, [user, sqlDate(database, longAgo - 3_600_000), sqlDate(database, longAgo)]);
    const inserted = Date.now();

    const baseline: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      await self(live.jwt);
      baseline.push(performance.now() - started);
    }
    const latencies: number[] = [];
    let remaining = N;
    while (remaining > 0) {
      const started = performance.now();
      expect((await self(live.jwt)).status).toBe(200);
      latencies.push(performance.now() - started);
      if (latencies.length % 20 === 0) remaining = await count(database, `SELECT count(*) AS n FROM "AccessToken" WHERE "id" LIKE 'old-%'`);
      if (Date.now() - inserted > 60_000) throw new Error(`${remaining} rows left after a minute:\n${server.output()}`);
    }
    const tookMs = Date.now() - inserted;
    expect(await count(database, `SELECT count(*) AS n FROM "TokenUsage" WHERE "tokenId" LIKE 'old-%'`)).toBe(0);
    const at = (q: number, of = latencies) => [...of].sort((a, b) => a - b)[Math.min(of.length - 1, Math.floor(q * of.length))]!.toFixed(1);
    const passes = () => [...server.output().matchAll(/(\d+) ended tokens \(kept 2 seconds\) in (\d+) ms/g)].filter((m) => Number(m[1]) >= 1000);
    await until(async () => passes().length > 0);
    const pass = passes()[0];
    console.log(
      `${database.kind}: ${N} ended tokens (+ usage rows) gone ${tookMs} ms after they were written` +
        (pass ? ` (the pass that deleted ${pass[1]} took ${pass[2]} ms)` : "") +
        `; ${latencies.length} requests meanwhile, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms` +
        ` (before: p50 ${at(0.5, baseline)} ms, p99 ${at(0.99, baseline)} ms, max ${at(1, baseline)} ms)`,
    );
    // Served all along: no request waited for anything like the whole prune.
    expect(latencies.length).toBeGreaterThan(20);
    expect(Number(at(0.5))).toBeLessThan(100);
  });

  it.each([
    ["RETENTION_INTERVAL", "soon", /^Configuration error: RETENTION_INTERVAL: Invalid lifetime "soon": .* Or "off" to switch it off\.$/],
    ["RETENTION_INTERVAL", "30 days", /^Configuration error: RETENTION_INTERVAL: Lifetime "30 days" exceeds the maximum of 7 days\. Or "off"/],
    ["TOKEN_RETENTION", "-1 days", /^Configuration error: TOKEN_RETENTION: Lifetime "-1 days" must be at least 1 second\. Or "off" to switch it off\.$/],
    ["AUDIT_RETENTION", "500 years", /^Configuration error: AUDIT_RETENTION: Lifetime "500 years" exceeds the maximum of 36500 days\./],
  ])("refuses %s=%j at start with one line and exit code 2", async (name, value, message) => {
    const failed = await startServer({ DATABASE_URL: database.url, [name]: value }).then(
      (started) => started.stop().then(() => "started"),
      (error: Error) => error.message,
    );
    const [first, ...rest] = failed.split("\n").filter(Boolean);
    expect(first).toBe("server exited with 2:");
    expect(rest).toHaveLength(1);
    expect(rest[0]).toMatch(message);
  });
});
