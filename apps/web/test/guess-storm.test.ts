import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cheapPasswordHash, type TestDatabase } from "@tokensmith/testkit";
import { basicAuth, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { sql } from "./support/sql.js";

/**
 * A distributed guess storm against one user, over HTTP, against the built server with two
 * workers behind a pretend proxy (TRUST_PROXY=1: X-Forwarded-For names the client). Each request
 * has a connection of its own, so the workers share it: what holds, holds through the database.
 */
let database: TestDatabase;
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const OWNER = basicAuth("owner", "owner-password-1");

interface Answer {
  status: number;
  body: any;
  cookies: string[];
}

function send(path: string, init: { from: string; method?: string; auth?: string; cookie?: string; body?: string; type?: string }): Promise<Answer> {
  const headers: Record<string, string> = { "x-forwarded-for": init.from, origin: server.url };
  if (init.auth) headers.authorization = init.auth;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body !== undefined) headers["content-type"] = init.type ?? "application/json";
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method: init.method ?? (init.body === undefined ? "GET" : "POST"), agent: false, headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body: text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text, cookies: res.headers["set-cookie"] ?? [] }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const signIn = (from: string, password: string, cookie?: string) =>
  send("/api/trpc/auth.login", { from, cookie, body: JSON.stringify({ username: "owner", password }) });

/** Every way a password is checked: sign-in, Basic on REST, Basic on tRPC, introspection's Basic. */
async function everyWay(from: string, device?: string): Promise<number[]> {
  const token = (await send("/v1alpha/token/", { from: "10.255.0.1", auth: ADMIN, body: JSON.stringify({ jwt_token_description: "t", jwt_token_life: "1 hour" }) })).body.jwt_token;
  return [
    (await signIn(from, "owner-password-1", device)).status,
    (await send("/v1alpha/token/", { from, auth: OWNER })).status,
    (await send("/api/trpc/token.list", { from, auth: OWNER })).status,
    (await send("/v1alpha/introspect", { from, auth: OWNER, body: new URLSearchParams({ token }).toString(), type: "application/x-www-form-urlencoded" })).status,
  ];
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1", WORKERS: "2" });
  const created = await send("/api/trpc/user.create", { from: "10.255.0.1", auth: ADMIN, body: JSON.stringify({ username: "owner", password: "owner-password-1" }) });
  expect(created.status).toBe(200);
  // The same password with cheap scrypt parameters: the storm is a hundred real checks of it.
  await sql(database, `UPDATE "User" SET "passwordHash" = ? WHERE "username" = 'owner'`, [cheapPasswordHash("owner-password-1")]);
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("a distributed guess storm", { timeout: 60_000 }, () => {
  let device = "";

  it("the owner signs in from a browser at home, and a script uses Basic from a server", async () => {
    const home = await signIn("203.0.113.10", "owner-password-1");
    expect(home.status).toBe(200);
    device = home.cookies.find((c) => c.startsWith("tokensmith_device="))!.split(";")[0]!;
    expect((await send("/v1alpha/token/", { from: "203.0.113.11", auth: OWNER })).status).toBe(200);
  });

  it("100 wrong guesses from 20 addresses at once fill the per-username ceiling", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const from = `198.18.0.${1 + (i % 20)}`;
        return i % 2 ? signIn(from, `storm-${i}`).then((r) => r.status) : send("/v1alpha/token/", { from, auth: basicAuth("owner", `storm-${i}`) }).then((r) => r.status);
      }),
    );
    expect(tally(statuses)).toEqual({ 401: 100 });
    expect((await signIn("198.18.0.77", "storm-more")).status).toBe(429);
  });

  it("the owner still gets in where they did before, every way; a new address is limited every way", async () => {
    expect(await everyWay("203.0.113.10")).toEqual([200, 200, 200, 200]);
    expect(await everyWay("203.0.113.11")).toEqual([200, 200, 200, 200]);
    expect(await everyWay("192.0.2.50")).toEqual([429, 429, 429, 429]);
  });

  it("the owner's browser signs in from a new address with its device cookie; a copy of an old cookie is a stranger's", async () => {
    const away = await signIn("192.0.2.60", "owner-password-1", device);
    expect(away.status).toBe(200);
    expect(away.cookies.find((c) => c.startsWith("tokensmith_device="))!.split(";")[0]).not.toBe(device);
    expect((await signIn("192.0.2.61", "owner-password-1", device)).status).toBe(429);
  });
});

describe("refused and failed guesses in the audit log", { timeout: 120_000 }, () => {
  it("a flood of them writes a few rows per minute and worker, which carry the count of every one", async () => {
    const started = Date.now();
    // The storm's ceiling still holds: 300 addresses (IPv6 /64s), refused at once.
    const statuses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => send("/v1alpha/token/", { from: `2001:db8:${i.toString(16)}::1`, auth: basicAuth("owner", `guess-${i}`) }).then((r) => r.status)),
    );
    expect(tally(statuses)).toEqual({ 429: 300 });
    // One address, 300 usernames: the address limit.
    const sequential: number[] = [];
    for (let i = 0; i < 300; i++) sequential.push((await send("/v1alpha/token/", { from: "198.51.100.200", auth: basicAuth(`spray${i}`, "guess") })).status);
    expect(tally(sequential)).toEqual({ 401: 20, 429: 280 });
    // Stopped, each worker writes what it counted.
    await server.stop();
    const rows = await sql<{ action: string; detail: string | null }>(database, `SELECT "action", "detail" FROM "AuditEvent" WHERE "action" <> 'auth.login_success' AND "action" LIKE 'auth.%'`);
    const attempts = rows.reduce((sum, r) => sum + (r.detail ? (JSON.parse(r.detail) as { repeated: number }).repeated : 1), 0);
    // Every 401 and 429 of this file: the storm (100), the 429s after it (1 + 4 + 1) and these 600.
    expect(attempts).toBe(100 + 6 + 600);
    // At most 2 × 10 + 3 rows a minute in each of the two workers, in every minute this took (and
    // the storm's minute before it): tens of rows, where there were one per address and username.
    const minutes = Math.floor((Date.now() - started) / 60_000) + 2;
    expect(rows.length).toBeLessThanOrEqual(2 * minutes * 23);
  });
});
