import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { usageTotals } from "@tokensmith/testkit";

/** Every authenticated use of a token counted by outcome, on every path, and served per hour and day. */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

describe("GET /v1alpha/token/{id}/usage", () => {
  it("counts REST, tRPC, forward auth and introspection uses by outcome", async () => {
    const created = await request(`${server.url}/v1alpha/token/`, {
      method: "POST",
      auth: ADMIN,
      body: { jwt_token_description: "counted", jwt_token_life: "1 day", jwt_token_endpoints: ["GET /v1alpha/token/*", "GET /api/*"] },
    });
    const { jwt_token: token, jwt_token_id: id } = created.body;
    const bearer = `Bearer ${token}`;
    expect((await request(`${server.url}/v1alpha/token/${id}`, { auth: bearer })).status).toBe(200); // allowed
    expect((await request(`${server.url}/api/trpc/token.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, { auth: bearer })).status).toBe(200); // allowed
    expect((await request(`${server.url}/v1alpha/token/${id}`, { method: "DELETE", auth: bearer })).status).toBe(403); // forbidden
    const forwarded = (uri: string) => request(`${server.url}/v1alpha/forward-auth`, { auth: bearer, headers: { "x-original-method": "GET", "x-original-uri": uri } });
    expect((await forwarded("/api/orders/1")).status).toBe(200); // allowed
    expect((await forwarded("/admin")).status).toBe(403); // forbidden
    const introspected = await request(`${server.url}/v1alpha/introspect`, {
      method: "POST",
      auth: ADMIN,
      rawBody: new URLSearchParams({ token }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(introspected.body.active).toBe(true); // allowed

    const usage = await request(`${server.url}/v1alpha/token/${id}/usage`, { auth: ADMIN });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ message: "Token usage", jwt_token_id: id });
    expect(usage.body.hourly).toHaveLength(24);
    expect(usage.body.daily).toHaveLength(30);
    expect(usage.body.hourly.at(-1).start).toMatch(/T\d\d:00:00\.000Z$/);
    expect(usageTotals(usage.body.hourly)).toEqual({ allowed: 4, unauthorized: 0, forbidden: 2, rate_limited: 0 });
    expect(usageTotals(usage.body.daily)).toMatchObject({ allowed: 4, forbidden: 2 });

    await request(`${server.url}/v1alpha/token/${id}`, { method: "DELETE", auth: ADMIN });
    expect((await request(`${server.url}/v1alpha/token/${id}`, { auth: bearer })).status).toBe(401);
    expect(usageTotals((await request(`${server.url}/v1alpha/token/${id}/usage`, { auth: ADMIN })).body.hourly)).toMatchObject({ unauthorized: 1 });
  });

  it("is not found for another user's token, and 400 for a malformed id", async () => {
    expect((await request(`${server.url}/v1alpha/token/${crypto.randomUUID()}/usage`, { auth: ADMIN })).status).toBe(404);
    expect((await request(`${server.url}/v1alpha/token/nope/usage`, { auth: ADMIN })).status).toBe(400);
  });
});
