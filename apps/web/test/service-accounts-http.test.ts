import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * Service accounts and token policies over HTTP, through the built server: REST issue for an
 * account, what forward auth and introspection say of its tokens, Basic refusing it, and the
 * policies' 400s and violations list on the v1alpha wire.
 */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const BOB = basicAuth("bob", "bob-password-1");
const trpc = (procedure: string, body: unknown, auth = ADMIN) => request(`${server.url}/api/trpc/${procedure}`, { method: "POST", auth, body });

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
  expect((await trpc("user.create", { username: "bob", password: "bob-password-1" })).status).toBe(200);
  expect((await trpc("serviceAccount.create", { name: "ci-bot", description: "deploys" })).status).toBe(200);
});
afterAll(() => server?.stop());

const issue = (auth: string, body: Record<string, unknown> = {}) =>
  request(`${server.url}/v1alpha/service-accounts/ci-bot/tokens`, { method: "POST", auth, body: { jwt_token_description: "deploy", jwt_token_life: "1 day", ...body } });
const forwardAuth = (token: string) =>
  fetch(`${server.url}/v1alpha/forward-auth`, { headers: { authorization: `Bearer ${token}`, "x-original-method": "GET", "x-original-uri": "/api/orders" } });

describe("service accounts over HTTP", () => {
  it("a manager issues over REST; forward auth and introspection say the caller is a service account; Basic never admits it", async () => {
    expect((await issue(BOB)).status).toBe(404);
    expect((await trpc("serviceAccount.addManager", { name: "ci-bot", manager: "bob" })).status).toBe(200);
    const issued = await issue(BOB);
    expect(issued.status).toBe(201);
    const listed = await request(`${server.url}/v1alpha/service-accounts/ci-bot/tokens`, { auth: BOB });
    expect(Object.keys(listed.body.jwt_tokens)).toEqual([issued.body.jwt_token_id]);

    const asService = await forwardAuth(issued.body.jwt_token);
    expect(asService.status).toBe(200);
    expect([asService.headers.get("x-tokensmith-user"), asService.headers.get("x-tokensmith-account-type")]).toEqual(["ci-bot", "service"]);
    const own = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: BOB, body: { jwt_token_description: "bob", jwt_token_life: "1 hour" } });
    expect((await forwardAuth(own.body.jwt_token)).headers.get("x-tokensmith-account-type")).toBe("person");

    const introspected = await request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, body: { token: issued.body.jwt_token } });
    expect(introspected.body).toMatchObject({ active: true, username: "ci-bot", account_type: "service" });
    // Introspection's client authentication is HTTP Basic: the account cannot be that client.
    const asClient = await request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: basicAuth("ci-bot", "anything-1"), body: { token: issued.body.jwt_token } });
    expect(asClient.status).toBe(401);
    // The manager's own token cannot mint the account's.
    expect((await issue(`Bearer ${own.body.jwt_token}`)).status).toBe(403);
    expect((await trpc("serviceAccount.removeManager", { name: "ci-bot", manager: "bob" })).status).toBe(200);
    expect((await issue(BOB)).status).toBe(404);
  });

  it("a policy's 400 names it and the field on the v1alpha wire; tokens made before it are listed, not ended", async () => {
    const before = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: BOB, body: { jwt_token_description: "long", jwt_token_life: "30 days" } });
    expect((await trpc("policy.set", { maxLife: "7 days" })).status).toBe(200);
    const refused = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: BOB, body: { jwt_token_description: "long", jwt_token_life: "30 days" } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: "jwt_token_life", message: "the server-wide token policy allows a lifetime of at most 7 days (this one: 30 days)" }]);
    const rotated = await request(`${server.url}/v1alpha/token/${before.body.jwt_token_id}/rotate`, { method: "POST", auth: BOB });
    expect(rotated.status).toBe(400);
    const effective = await request(`${server.url}/v1alpha/token-policies/effective`, { auth: BOB });
    expect(effective.body.lines).toEqual(["Lifetime at most 7 days"]);
    expect((await request(`${server.url}/v1alpha/token-policies/violations`, { auth: BOB })).status).toBe(403);
    const violations = await request(`${server.url}/v1alpha/token-policies/violations?limit=50`, { auth: ADMIN });
    expect(violations.body.tokens.map((t: { id: string }) => t.id)).toContain(before.body.jwt_token_id);
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${before.body.jwt_token}` })).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token-policies/violations?limit=0`, { auth: ADMIN })).status).toBe(400);
    expect((await trpc("policy.set", { maxLife: null })).status).toBe(200);
  });
});
