import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type JsonResponse, type RunningServer } from "./support/server.js";
import { usageTotals, type TestDatabase } from "@tokensmith/testkit";

/**
 * Per-token rate limits and IP allowlists on a real server (TRUST_PROXY, so each request says
 * where it comes from in X-Forwarded-For): enforced on REST, tRPC, forward auth and introspection,
 * shown in every view, and never more than the token that created one.
 */
const ADMIN = basicAuth("admin", "limits-admin-password");
let database: TestDatabase;
let server: RunningServer;
let api: string;

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "limits-admin-password", TRUST_PROXY: "1" });
  api = `${server.url}/v1alpha/token`;
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const create = (auth: string, body: Record<string, unknown>) =>
  request(`${api}/`, { method: "POST", auth, body: { jwt_token_description: "limits", jwt_token_life: "1 hour", ...body } });
const from = (address: string) => ({ "x-forwarded-for": address });
const self = (token: string, address = "203.0.113.9") => request(`${api}/self`, { auth: `Bearer ${token}`, headers: from(address) });
const rateLimit = (res: JsonResponse) => [res.headers.get("ratelimit-policy"), res.headers.get("ratelimit")];
/** Waits until a fresh window of `seconds` has just begun, so a test's requests share one window. */
async function freshWindow(seconds: number): Promise<void> {
  const intoWindow = (Date.now() / 1000) % seconds;
  if (intoWindow > 0.2) await new Promise((resolve) => setTimeout(resolve, (seconds - intoWindow) * 1000 + 20));
}

describe("per-token rate limit", () => {
  it("REST: RateLimit headers on every answer, then 429 with Retry-After; a new window lets it in again", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_rate_limit: { requests: 3, per: "4 seconds" } });
    expect(token.jwt_token_rate_limit).toEqual({ requests: 3, per_seconds: 4 });
    await freshWindow(4);
    const answers = [await self(token.jwt_token), await self(token.jwt_token), await self(token.jwt_token), await self(token.jwt_token)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => rateLimit(a)[1]?.replace(/;t=\d+/, ""))).toEqual(['"token";r=2', '"token";r=1', '"token";r=0', '"token";r=0']);
    expect(rateLimit(answers[0]!)[0]).toBe('"token";q=3;w=4');
    const refused = answers[3]!;
    expect(refused.body.message).toMatch(/may make 3 requests per 4 seconds/);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    expect((await self(token.jwt_token)).status).toBe(200);
    // Refusals are counted as such in the token's usage.
    const usage = await request(`${api}/${token.jwt_token_id}/usage`, { auth: ADMIN });
    // Summed over the day: the refusal and this read may fall on either side of an hour's turn.
    expect(usageTotals(usage.body.hourly).rate_limited).toBe(1);
  });

  it("is exact on one instance under concurrency: 20 of 50 parallel requests pass a limit of 20", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_rate_limit: { requests: 20, per: "1 hour" } });
    const statuses = await Promise.all(Array.from({ length: 50 }, () => self(token.jwt_token).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });

  it("tRPC counts each call of a batch; forward auth and introspection count too", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_rate_limit: { requests: 6, per: "1 hour" } });
    const bearer = `Bearer ${token.jwt_token}`;
    const batch = await request(`${server.url}/api/trpc/token.self,token.self%2Ctoken.self?batch=1&input={}`, { auth: bearer, headers: from("203.0.113.9") });
    expect(batch.status).toBe(200);
    // Three calls, however the commas are written.
    expect(batch.headers.get("ratelimit")).toMatch(/^"token";r=3;/);
    const forwarded = await request(`${server.url}/v1alpha/forward-auth`, {
      auth: bearer,
      headers: { ...from("203.0.113.9"), "x-forwarded-method": "GET", "x-forwarded-uri": "/orders" },
    });
    expect(forwarded.status).toBe(200);
    expect(forwarded.headers.get("ratelimit")).toMatch(/^"token";r=2;/);
    const introspect = (field: string) =>
      request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token: token.jwt_token, [field]: "203.0.113.9" } });
    expect((await introspect("client_ip")).body).toMatchObject({ active: true });
    expect((await introspect("client_ip")).body).toMatchObject({ active: true });
    // The quota is spent: introspection says inactive, and nothing more (RFC 7662).
    expect((await introspect("client_ip")).body).toEqual({ active: false });
    const overTrpc = await request(`${server.url}/api/trpc/token.self`, { auth: bearer, headers: from("203.0.113.9") });
    expect(overTrpc.status).toBe(429);
    expect(overTrpc.headers.get("retry-after")).toMatch(/^\d+$/);
    // Traefik and Caddy pass a 429 on; nginx only 401 and 403, so it gets a 403 it turns into a 429.
    const traefik = await request(`${server.url}/v1alpha/forward-auth`, {
      auth: bearer,
      headers: { ...from("203.0.113.9"), "x-forwarded-method": "GET", "x-forwarded-uri": "/orders" },
    });
    expect(traefik.status).toBe(429);
    expect(traefik.headers.get("retry-after")).toMatch(/^\d+$/);
    const nginx = await request(`${server.url}/v1alpha/forward-auth`, {
      auth: bearer,
      headers: { ...from("203.0.113.9"), "x-original-method": "GET", "x-original-uri": "/orders" },
    });
    expect(nginx.status).toBe(403);
    expect(nginx.headers.get("x-tokensmith-error")).toBe("rate limited");
  });
});

describe("per-token IP allowlist", () => {
  it("admits IPv4, IPv4-mapped IPv6 and IPv6 inside the list; 403 outside, naming no address", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_allowed_ips: ["203.0.113.0/24", "2001:db8::/32"] });
    expect(token.jwt_token_allowed_ips).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    for (const inside of ["203.0.113.200", "::ffff:203.0.113.200", "2001:db8:42::1"]) expect((await self(token.jwt_token, inside)).status, inside).toBe(200);
    for (const outside of ["203.0.114.1", "198.51.100.7", "2001:db9::1", "::ffff:198.51.100.7"]) {
      const refused = await self(token.jwt_token, outside);
      expect(refused.status, outside).toBe(403);
      expect(refused.text).not.toMatch(/203\.0\.113|198\.51|2001:db/);
      expect(refused.body.message).toBe("This token may not be used from this address");
    }
    const trpc = await request(`${server.url}/api/trpc/token.self`, { auth: `Bearer ${token.jwt_token}`, headers: from("198.51.100.7") });
    expect(trpc.status).toBe(403);
    // X-Real-IP is not read: behind a proxy that sets only X-Real-IP, a client's own X-Forwarded-For
    // would pass through and win, and behind one that sets only X-Forwarded-For, a client's own
    // X-Real-IP would.
    const realIp = await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${token.jwt_token}`, headers: { "x-real-ip": "203.0.113.200" } });
    expect(realIp.status).toBe(403);
    // Without X-Forwarded-For the client is unknown, not the proxy (here 127.0.0.1): an allowlist
    // of the proxy's own network must not let in whoever reaches it.
    const { body: proxyNet } = await create(ADMIN, { jwt_token_allowed_ips: ["127.0.0.0/8"] });
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${proxyNet.jwt_token}` })).status).toBe(403);
    expect((await self(proxyNet.jwt_token, "127.0.0.5")).status).toBe(200);
    expect(server.output()).toContain("[proxy] TRUST_PROXY is set, but a request came without an X-Forwarded-For entry");
  });

  it("forward auth takes the address the proxy passes; introspection the client_ip it is given, else inactive", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_allowed_ips: ["203.0.113.0/24"] });
    const forward = (address: string) =>
      request(`${server.url}/v1alpha/forward-auth`, {
        auth: `Bearer ${token.jwt_token}`,
        headers: { ...from(address), "x-forwarded-method": "GET", "x-forwarded-uri": "/orders" },
      });
    expect((await forward("203.0.113.1")).status).toBe(200);
    const outside = await forward("198.51.100.1");
    expect(outside.status).toBe(403);
    expect(outside.headers.get("x-tokensmith-error")).toBe("address not allowed");
    const introspect = (extra: Record<string, string>) =>
      request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token: token.jwt_token, ...extra } });
    expect((await introspect({ client_ip: "203.0.113.1" })).body).toMatchObject({ active: true });
    expect((await introspect({ client_ip: "198.51.100.1" })).body).toEqual({ active: false });
    expect((await introspect({})).body).toEqual({ active: false });
    expect((await introspect({ client_ip: "not-an-ip" })).status).toBe(400);
  });

  it("the allowlist travels in the JWT, for offline verifiers", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_allowed_ips: ["203.0.113.0/24"] });
    const payload = JSON.parse(Buffer.from(token.jwt_token.split(".")[1], "base64url").toString());
    expect(payload.jwt_token_allowed_ips).toEqual(["203.0.113.0/24"]);
  });
});

describe("shown everywhere, validated, and never more than the creating token", () => {
  it("list, get and self show the limit and the allowlist", async () => {
    const { body: token } = await create(ADMIN, { jwt_token_rate_limit: { requests: 50, per: "1 minute" }, jwt_token_allowed_ips: ["203.0.113.7"] });
    const expected = { jwt_token_rate_limit: { requests: 50, per_seconds: 60 }, jwt_token_allowed_ips: ["203.0.113.7"] };
    expect((await request(`${api}/${token.jwt_token_id}`, { auth: ADMIN })).body).toMatchObject(expected);
    expect((await request(`${api}/`, { auth: ADMIN })).body.jwt_tokens[token.jwt_token_id]).toMatchObject(expected);
    expect((await self(token.jwt_token, "203.0.113.7")).body).toMatchObject(expected);
    const plain = await create(ADMIN, {});
    expect(plain.body).toMatchObject({ jwt_token_rate_limit: null, jwt_token_allowed_ips: null });
  });

  it("400 naming the field for a bad limit or address", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ jwt_token_rate_limit: { requests: 0, per: "1 minute" } }, "jwt_token_rate_limit.requests"],
      [{ jwt_token_rate_limit: { requests: 10, per: "2 days" } }, "jwt_token_rate_limit.per"],
      [{ jwt_token_rate_limit: { requests: 10 } }, "jwt_token_rate_limit.per"],
      [{ jwt_token_allowed_ips: ["300.1.1.1"] }, "jwt_token_allowed_ips"],
      [{ jwt_token_allowed_ips: ["203.0.113.5/24"] }, "jwt_token_allowed_ips"],
      [{ jwt_token_allowed_ips: [] }, "jwt_token_allowed_ips"],
    ];
    for (const [body, field] of cases) {
      const res = await create(ADMIN, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it("a child inherits its parent's limits, may narrow them, and may not widen them (create and rotate)", async () => {
    const { body: parent } = await create(ADMIN, { jwt_token_rate_limit: { requests: 10, per: "1 minute" }, jwt_token_allowed_ips: ["203.0.113.0/24"] });
    const asParent = `Bearer ${parent.jwt_token}`;
    const post = (body: Record<string, unknown>) =>
      request(`${api}/`, { method: "POST", auth: asParent, headers: from("203.0.113.9"), body: { jwt_token_description: "child", jwt_token_life: "10 minutes", ...body } });
    const inherited = await post({});
    expect(inherited.status).toBe(201);
    expect(inherited.body).toMatchObject({ jwt_token_rate_limit: { requests: 10, per_seconds: 60 }, jwt_token_allowed_ips: ["203.0.113.0/24"] });
    expect((await post({ jwt_token_rate_limit: { requests: 5, per: "1 minute" }, jwt_token_allowed_ips: ["203.0.113.128/25"] })).status).toBe(201);
    for (const wider of [
      { jwt_token_rate_limit: { requests: 100, per: "1 minute" } },
      { jwt_token_rate_limit: { requests: 2, per: "1 second" } },
      { jwt_token_rate_limit: null },
      { jwt_token_allowed_ips: ["203.0.112.0/23"] },
      { jwt_token_allowed_ips: null },
    ]) {
      const refused = await post(wider);
      expect(refused.status, JSON.stringify(wider)).toBe(403);
    }
    // Rotating the child with a password may not widen it past its parent either.
    const child = inherited.body;
    const rotate = (body: Record<string, unknown>) => request(`${api}/${child.jwt_token_id}/rotate`, { method: "POST", auth: ADMIN, body });
    expect((await rotate({ jwt_token_rate_limit: { requests: 1000, per: "1 minute" } })).status).toBe(403);
    const narrowed = await rotate({ jwt_token_rate_limit: { requests: 2, per: "1 minute" } });
    expect(narrowed.status).toBe(201);
    expect(narrowed.body).toMatchObject({ jwt_token_rate_limit: { requests: 2, per_seconds: 60 }, jwt_token_allowed_ips: ["203.0.113.0/24"] });
  });
});
