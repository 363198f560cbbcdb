import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * Introspection tells a caller about its own user's tokens only, unless it is an administrator or a
 * user an administrator let introspect any token; a token it may not hear about is exactly
 * {"active": false}, with nothing counted, limited or revoked for it. Only such a trusted caller's
 * client_ip is recorded as where a token was last used.
 */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const users = { alice: basicAuth("alice", "alice-password-1"), bob: basicAuth("bob", "bob-password-1"), rs: basicAuth("rs", "rs-password-1") };

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
  for (const name of Object.keys(users)) {
    const created = await request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: ADMIN, body: { username: name, password: `${name}-password-1` } });
    expect(created.status).toBe(200);
  }
});
afterAll(() => server?.stop());

async function token(auth: string, body: Record<string, unknown> = {}): Promise<{ jwt_token: string; jwt_token_id: string }> {
  const made = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth, body: { jwt_token_description: "t", jwt_token_life: "1 hour", ...body } });
  expect(made.status).toBe(201);
  return made.body;
}
const introspect = async (auth: string, token: string, clientIp?: string) => {
  const form = new URLSearchParams({ token, ...(clientIp ? { client_ip: clientIp } : {}) });
  const answer = await request(`${server.url}/v1alpha/introspect`, { method: "POST", auth, rawBody: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
  expect(answer.status).toBe(200);
  return answer.body as { active: boolean; username?: string };
};
const setIntrospection = (username: string, introspect: "own" | "any") =>
  request(`${server.url}/api/trpc/user.setIntrospection`, { method: "POST", auth: ADMIN, body: { username, introspect } });

describe("whose tokens a caller learns about", () => {
  it("its own user's, by password or by a token narrowed to introspection; another user's token is inactive", async () => {
    const alices = await token(users.alice);
    const bobs = await token(users.bob);
    expect(await introspect(users.alice, alices.jwt_token)).toMatchObject({ active: true, username: "alice" });
    expect(await introspect(users.alice, bobs.jwt_token)).toEqual({ active: false });
    const narrowed = await token(users.bob, { jwt_token_endpoints: ["POST /v1alpha/introspect"] });
    expect(await introspect(`Bearer ${narrowed.jwt_token}`, bobs.jwt_token)).toMatchObject({ active: true, username: "bob" });
    expect(await introspect(`Bearer ${narrowed.jwt_token}`, alices.jwt_token)).toEqual({ active: false });
    // An administrator, and an administrator's token narrowed to introspection, learn about any.
    expect(await introspect(ADMIN, bobs.jwt_token)).toMatchObject({ active: true, username: "bob" });
    const adminNarrowed = await token(ADMIN, { jwt_token_endpoints: ["POST /v1alpha/introspect"] });
    expect(await introspect(`Bearer ${adminNarrowed.jwt_token}`, alices.jwt_token)).toMatchObject({ active: true, username: "alice" });
  });

  it("a user an administrator lets introspect any token, from the next request on, until it is taken back", async () => {
    const alices = await token(users.alice);
    const rsToken = await token(users.rs, { jwt_token_endpoints: ["POST /v1alpha/introspect"] });
    expect(await introspect(`Bearer ${rsToken.jwt_token}`, alices.jwt_token)).toEqual({ active: false });
    expect((await setIntrospection("RS", "any")).body.result.data).toEqual({ username: "rs", introspect: "any" });
    // The resource server's token was read (and cached) before the grant: it counts all the same.
    expect(await introspect(`Bearer ${rsToken.jwt_token}`, alices.jwt_token)).toMatchObject({ active: true, username: "alice" });
    expect(await introspect(users.rs, alices.jwt_token)).toMatchObject({ active: true });
    const listed = await request(`${server.url}/api/trpc/user.list`, { auth: ADMIN });
    expect(listed.body.result.data.map((u: { username: string; introspect: string }) => [u.username, u.introspect])).toEqual([
      ["admin", "any"],
      ["alice", "own"],
      ["bob", "own"],
      ["rs", "any"],
    ]);
    await setIntrospection("rs", "own");
    expect(await introspect(`Bearer ${rsToken.jwt_token}`, alices.jwt_token)).toEqual({ active: false });
  });

  it("granting needs an administrator's password: a token, even an administrator's, cannot", async () => {
    const adminToken = await token(ADMIN);
    const byToken = await request(`${server.url}/api/trpc/user.setIntrospection`, { method: "POST", auth: `Bearer ${adminToken.jwt_token}`, body: { username: "rs", introspect: "any" } });
    expect(byToken.status).toBe(403);
    const byUser = await request(`${server.url}/api/trpc/user.setIntrospection`, { method: "POST", auth: users.alice, body: { username: "alice", introspect: "any" } });
    expect(byUser.status).toBe(403);
    const audit = await request(`${server.url}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ action: "user.introspection" }))}`, { auth: ADMIN });
    expect(audit.body.result.data.events.length).toBeGreaterThanOrEqual(2);
  });

  it("asking about another user's token spends nothing of it: no rate limit taken, no reuse revocation", async () => {
    const limited = await token(users.bob, { jwt_token_rate_limit: { requests: 1, per: "1 day" } });
    for (let i = 0; i < 3; i++) expect(await introspect(users.alice, limited.jwt_token)).toEqual({ active: false });
    // Its one request of the day is still there for its owner.
    expect(await introspect(users.bob, limited.jwt_token)).toMatchObject({ active: true });
    // A rotated-away token shown by someone who may not ask about it: the family stays.
    const original = await token(users.bob);
    const rotated = await request(`${server.url}/v1alpha/token/${original.jwt_token_id}/rotate`, { method: "POST", auth: users.bob });
    expect(rotated.status).toBe(201);
    expect(await introspect(users.alice, original.jwt_token)).toEqual({ active: false });
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${rotated.body.jwt_token}` })).status).toBe(200);
  });
});

describe("client_ip as the token's last-used address", () => {
  const lastUse = async (auth: string, id: string) => {
    let got: { last_used_at: string | null; last_used_ip: string | null } = { last_used_at: null, last_used_ip: null };
    await expect
      .poll(async () => {
        got = (await request(`${server.url}/v1alpha/token/${id}`, { auth })).body;
        return got.last_used_at;
      })
      .not.toBeNull();
    return got.last_used_ip;
  };

  it("is recorded from a caller trusted with any token, and not from one asking about its own", async () => {
    const alices = await token(users.alice);
    expect(await introspect(users.alice, alices.jwt_token, "198.51.100.7")).toMatchObject({ active: true });
    expect(await lastUse(users.alice, alices.jwt_token_id)).toBeNull();
    const other = await token(users.alice);
    expect(await introspect(ADMIN, other.jwt_token, "198.51.100.9")).toMatchObject({ active: true });
    expect(await lastUse(users.alice, other.jwt_token_id)).toBe("198.51.100.9");
  });

  it("still decides the allowlist for the owner's own token", async () => {
    const fenced = await token(users.alice, { jwt_token_allowed_ips: ["203.0.113.0/24"] });
    expect(await introspect(users.alice, fenced.jwt_token, "203.0.113.5")).toMatchObject({ active: true });
    expect(await introspect(users.alice, fenced.jwt_token, "198.51.100.1")).toEqual({ active: false });
  });
});
