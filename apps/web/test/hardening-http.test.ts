import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * The attacks of the hardening issue, replayed over HTTP against the real server. Two servers: one
 * as shipped (TRUST_PROXY off) and one behind a pretend proxy (TRUST_PROXY=1), where each test
 * speaks from its own X-Forwarded-For address so that limits in one test do not touch another.
 */
let direct: RunningServer;
let proxied: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" }),
    startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" }),
  ]);
});
afterAll(() => Promise.all([direct?.stop(), proxied?.stop()]));

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {});
const login = (server: RunningServer, username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, ...headers },
    body: JSON.stringify({ username, password }),
  });
async function addUser(server: RunningServer, username: string, password: string): Promise<void> {
  const res = await request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: ADMIN, body: { username, password } });
  expect(res.status).toBe(200);
}
async function newToken(server: RunningServer, auth: string, body: Record<string, unknown> = {}) {
  const res = await request(`${server.url}/v1alpha/token/`, {
    method: "POST",
    auth,
    body: { jwt_token_description: "t", jwt_token_life: "1 day", ...body },
  });
  return res as { status: number; body: { jwt_token: string; jwt_token_id: string; message: string } };
}

describe("endpoint patterns cannot freeze the server", () => {
  it("answers at once for a backtracking-bait pattern against long inputs, and other requests go on", async () => {
    const { body: bait } = await newToken(proxied, ADMIN, { jwt_token_endpoints: ["* /v1alpha/*a*a*a*a*a*a*a*a*b"] });
    const bearer = `Bearer ${bait.jwt_token}`;
    const [trpc, rest, child, self] = await Promise.all([
      request(`${proxied.url}/api/trpc/token.revoke`, { method: "POST", auth: bearer, body: { id: "a".repeat(400) } }),
      request(`${proxied.url}/v1alpha/token/${"a".repeat(8000)}`, { auth: bearer }),
      newToken(proxied, bearer, { jwt_token_life: "1 hour", jwt_token_endpoints: [`GET /${"a".repeat(190)}`] }),
      request(`${proxied.url}/v1alpha/token/self`, { auth: ADMIN }),
    ]);
    expect([trpc.status, rest.status, child.status, self.status]).toEqual([400, 400, 403, 400]);
  });
});

describe("guesses are limited however they are sent", () => {
  it("caps tRPC batches, and a batch of sign-ins gets no more guesses than single ones", async () => {
    await addUser(proxied, "batchy", "batchy-password");
    const from = { "x-forwarded-for": "198.51.100.1" };
    const calls = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { username: "batchy", password: `guess${i}` }]));
    const batch = (n: number) =>
      fetch(`${proxied.url}/api/trpc/${Array(n).fill("auth.login").join(",")}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: proxied.url, ...from },
        body: JSON.stringify(calls(n)),
      });
    const huge = await batch(300);
    expect(huge.status).toBe(400);
    expect((await huge.json()).error.message).toMatch(/at most 10 calls/);
    // The commas escaped: tRPC decodes the path before it splits the batch, and so does the cap.
    const escaped = await fetch(`${proxied.url}/api/trpc/${Array(300).fill("auth.login").join("%2C")}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: proxied.url, ...from },
      body: JSON.stringify(calls(300)),
    });
    expect(escaped.status).toBe(400);
    expect((await escaped.json()).error.message).toMatch(/at most 10 calls/);
    const ten = (await (await batch(10)).json()) as { error?: { data: { httpStatus: number } } }[];
    expect(tally(ten.map((r) => r.error!.data.httpStatus))).toEqual({ 401: 5, 429: 5 });
  });

  it("30 concurrent sign-ins evaluate 5 guesses; the rest get 429 with Retry-After", async () => {
    await addUser(proxied, "racer", "racer-password");
    const from = { "x-forwarded-for": "198.51.100.2" };
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => login(proxied, "racer", `guess${i}`, from)));
    expect(tally(responses.map((r) => r.status))).toEqual({ 401: 5, 429: 25 });
    expect(Number(responses.find((r) => r.status === 429)!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("HTTP Basic shares the limits on REST and tRPC: 429 with Retry-After, TOO_MANY_REQUESTS", async () => {
    await addUser(proxied, "basil", "basil-password");
    const headers = { "x-forwarded-for": "198.51.100.3" };
    const wrong = basicAuth("basil", "guess");
    const statuses = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        request(`${proxied.url}/v1alpha/token/`, { auth: basicAuth("basil", `guess${i}`), headers }).then((r) => r.status),
      ),
    );
    expect(tally(statuses)).toEqual({ 401: 5, 429: 27 });
    const rest = await request(`${proxied.url}/v1alpha/token/`, { auth: basicAuth("basil", "basil-password"), headers });
    expect(rest.status).toBe(429);
    expect(rest.headers.get("retry-after")).toMatch(/^\d+$/);
    const trpc = await request(`${proxied.url}/api/trpc/token.list`, { auth: wrong, headers });
    expect(trpc.status).toBe(429);
    expect(trpc.body.error.data.code).toBe("TOO_MANY_REQUESTS");
    // Locked for Basic means locked for signing in from there too.
    expect((await login(proxied, "basil", "basil-password", headers)).status).toBe(429);
  });

  it("an attacker at one address does not lock the user out at another (with TRUST_PROXY)", async () => {
    await addUser(proxied, "victim", "victim-password");
    for (let i = 0; i < 8; i++) await login(proxied, "victim", "guess", { "x-forwarded-for": "203.0.113.66" });
    expect((await login(proxied, "victim", "victim-password", { "x-forwarded-for": "203.0.113.66" })).status).toBe(429);
    expect((await login(proxied, "victim", "victim-password", { "x-forwarded-for": "192.0.2.10" })).status).toBe(200);
  });

  it("without TRUST_PROXY, X-Forwarded-For is ignored: a forged address buys no fresh guesses", async () => {
    await addUser(direct, "forger", "forger-password");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await login(direct, "forger", "guess", { "x-forwarded-for": `10.0.0.${i}` })).status);
    expect(tally(statuses)).toEqual({ 401: 5, 429: 3 });
  });
});

describe("malformed requests get a clean answer", () => {
  it("ignores a malformed session cookie, and answers 405 with Allow for TRACE", async () => {
    const cookie = { cookie: "tokensmith_session=%ZZ" };
    const signIn = await login(proxied, "nobody", "x", { ...cookie, "x-forwarded-for": "198.51.100.9" });
    expect(signIn.status).toBe(401);
    expect((await request(`${proxied.url}/api/trpc/auth.me`, { headers: cookie })).status).toBe(401);
    const trace = await fetch(`${proxied.url}/api/trpc/token.list`, { method: "PUT" });
    expect(trace.status).toBe(405);
    expect(trace.headers.get("allow")).toBe("GET, HEAD, POST");
  });
});

describe("rotation and lineage", () => {
  it("ten concurrent rotations: one 201, nine 409, one working replacement", async () => {
    const { body: t } = await newToken(proxied, ADMIN);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => request(`${proxied.url}/v1alpha/token/${t.jwt_token_id}/rotate`, { method: "POST", auth: ADMIN, body: { overlap: "1 hour" } })),
    );
    expect(tally(responses.map((r) => r.status))).toEqual({ 201: 1, 409: 9 });
    const winner = responses.find((r) => r.status === 201)!.body;
    expect((await request(`${proxied.url}/v1alpha/token/self`, { auth: `Bearer ${winner.jwt_token}` })).status).toBe(200);
    const listed = await request(`${proxied.url}/v1alpha/token/`, { auth: ADMIN });
    const family = Object.values(listed.body.jwt_tokens as Record<string, { jwt_token_description: string }>).length;
    expect(family).toBeGreaterThan(0);
  });

  it("a token made by a token stops with its parent, and shows who made it", async () => {
    const { body: parent } = await newToken(proxied, ADMIN);
    const { body: child } = await newToken(proxied, `Bearer ${parent.jwt_token}`, { jwt_token_life: "1 hour" });
    const got = await request(`${proxied.url}/v1alpha/token/${child.jwt_token_id}`, { auth: ADMIN });
    expect(got.body.created_by_token_id).toBe(parent.jwt_token_id);
    const listed = await request(`${proxied.url}/v1alpha/token/`, { auth: ADMIN });
    expect(listed.body.jwt_tokens[child.jwt_token_id].created_by_token_id).toBe(parent.jwt_token_id);
    expect((await request(`${proxied.url}/v1alpha/token/${parent.jwt_token_id}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
    expect((await request(`${proxied.url}/v1alpha/token/self`, { auth: `Bearer ${child.jwt_token}` })).status).toBe(401);
  });

  it("an administrator's token cannot mint users or reset passwords", async () => {
    const { body: t } = await newToken(proxied, ADMIN);
    const bearer = `Bearer ${t.jwt_token}`;
    const create = await request(`${proxied.url}/api/trpc/user.create`, {
      method: "POST",
      auth: bearer,
      body: { username: "mallory", password: "mallory-password", isAdmin: true },
    });
    expect(create.status).toBe(403);
    expect(create.body.error.message).toMatch(/needs an administrator's password/);
    const reset = await request(`${proxied.url}/api/trpc/user.resetPassword`, { method: "POST", auth: bearer, body: { username: "admin", password: "taken-over-1" } });
    expect(reset.status).toBe(403);
  });
});

describe("cross-site request checks", () => {
  async function session(server: RunningServer, headers: Record<string, string>): Promise<string> {
    const res = await login(server, "admin", "admin-password-1", headers);
    expect(res.status).toBe(200);
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }
  const write = (server: RunningServer, headers: Record<string, string>) =>
    fetch(`${server.url}/api/trpc/token.create`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ description: "csrf", life: "1 hour" }),
    });

  it("needs this server's own Origin (or Sec-Fetch-Site: same-origin) on a cookie write", async () => {
    const cookie = await session(direct, {});
    expect((await write(direct, { cookie })).status).toBe(403);
    expect((await write(direct, { cookie, origin: direct.url.replace("http:", "https:") })).status).toBe(403);
    expect((await write(direct, { cookie, origin: "http://evil.example", "x-forwarded-host": "evil.example" })).status).toBe(403);
    expect((await write(direct, { cookie, "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await write(direct, { cookie, "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await write(direct, { cookie, origin: direct.url })).status).toBe(200);
    // Signing in is a write too: another site cannot sign a visitor in to its own account.
    expect((await login(direct, "admin", "admin-password-1", { origin: "http://evil.example" })).status).toBe(403);
  });

  it("counts X-Forwarded-Host and -Proto only with TRUST_PROXY", async () => {
    const via = { "x-forwarded-for": "198.51.100.20", "x-forwarded-host": "tokens.example.com", "x-forwarded-proto": "https" };
    const cookie = await session(proxied, { ...via, origin: "https://tokens.example.com" });
    expect((await write(proxied, { ...via, cookie, origin: "https://tokens.example.com" })).status).toBe(200);
    expect((await write(proxied, { ...via, cookie, origin: "http://tokens.example.com" })).status).toBe(403);
  });
});
