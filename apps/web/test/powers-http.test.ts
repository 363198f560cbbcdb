import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
let api: string;
const admin = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
  api = `${server.url}/v1alpha/token`;
});
afterAll(() => server?.stop());

const create = (auth: string, body: Record<string, unknown>) =>
  request(`${api}/`, { method: "POST", auth, body: { jwt_token_description: "t", jwt_token_life: "1 day", ...body } });

describe("allowed endpoints over REST", () => {
  it("403 with insufficient_scope outside the list; listed in create, list and get", async () => {
    const { body: narrow } = await create(admin, { jwt_token_endpoints: ["GET /v1alpha/token/*"] });
    expect(narrow.jwt_token_endpoints).toEqual(["GET /v1alpha/token/*"]);
    const bearer = `Bearer ${narrow.jwt_token}`;
    expect((await request(`${api}/`, { auth: bearer })).status).toBe(200);
    const denied = await request(`${api}/${narrow.jwt_token_id}`, { method: "DELETE", auth: bearer });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(`This token may not call DELETE /v1alpha/token/${narrow.jwt_token_id}`);
    expect(denied.headers.get("www-authenticate")).toBe('Bearer realm="tokensmith", error="insufficient_scope"');
    const listed = await request(`${api}/`, { auth: admin });
    expect(listed.body.jwt_tokens[narrow.jwt_token_id].jwt_token_endpoints).toEqual(["GET /v1alpha/token/*"]);
    const got = await request(`${api}/${narrow.jwt_token_id}`, { auth: admin });
    expect(got.body.jwt_token_endpoints).toEqual(["GET /v1alpha/token/*"]);
  });

  it("400 for a malformed pattern, 403 for a narrow token minting a wide one", async () => {
    const bad = await create(admin, { jwt_token_endpoints: ["GET"] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/jwt_token_endpoints\.0/);
    const { body: narrow } = await create(admin, { jwt_token_endpoints: ["POST /v1alpha/token/"] });
    const wide = await create(`Bearer ${narrow.jwt_token}`, { jwt_token_life: "1 hour", jwt_token_endpoints: ["* /*"] });
    expect(wide.status).toBe(403);
    expect(wide.body.message).toMatch(/only issue tokens limited to its own endpoints/);
    const longer = await create(`Bearer ${narrow.jwt_token}`, { jwt_token_life: "2 days" });
    expect(longer.status).toBe(403);
    expect(longer.body.message).toMatch(/cannot issue a token that outlives it/);
  });
});

describe("a token made for another API", () => {
  it("reaches Tokensmith's own API only through patterns that name it, not through a wildcard that covers it", async () => {
    // A token for its holder's orders API at /api/…: Tokensmith's Specter mount and tRPC live there too.
    const { body: forOrders } = await create(admin, { jwt_token_endpoints: ["GET /api/*", "GET /*", "POST /api/*"] });
    const bearer = `Bearer ${forOrders.jwt_token}`;
    const input = encodeURIComponent("{}");
    for (const [method, path] of [
      ["GET", "/api/v1alpha/token/"],
      ["GET", "/v1alpha/token/"],
      ["GET", `/api/trpc/audit.list?input=${input}`],
      ["POST", "/api/v1alpha/token/"],
    ]) {
      const res = await request(`${server.url}${path}`, { method, auth: bearer, ...(method === "POST" ? { body: { jwt_token_description: "x", jwt_token_life: "1 hour" } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    // Patterns that name the API still reach it, whichever mount.
    const { body: named } = await create(admin, { jwt_token_endpoints: ["GET /v1alpha/*", "GET /api/v1alpha/token/*", "GET /api/trpc/audit.list"] });
    for (const path of ["/v1alpha/token/", "/api/v1alpha/token/", `/api/trpc/audit.list?input=${input}`]) {
      expect((await request(`${server.url}${path}`, { auth: `Bearer ${named.jwt_token}` })).status, path).toBe(200);
    }
  });
});

describe("self, rotation and last used over REST", () => {
  it("GET and DELETE /v1alpha/token/self", async () => {
    const { body: created } = await create(admin, {});
    const bearer = `Bearer ${created.jwt_token}`;
    const self = await request(`${api}/self`, { auth: bearer });
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ message: "Token is valid", username: "admin", jwt_token_id: created.jwt_token_id, jwt_token_endpoints: null });
    expect(self.body.jwt_token_life_remaining).toBeGreaterThan(86_000);
    expect((await request(`${api}/self`, { auth: admin })).status).toBe(400);
    expect((await request(`${api}/self/`, { method: "DELETE", auth: bearer })).body).toEqual({ message: "Token deleted" });
    expect((await request(`${api}/self`, { auth: bearer })).status).toBe(401);
  });

  it("POST /v1alpha/token/{id}/rotate with an overlap, then reuse detection", async () => {
    const { body: old } = await create(admin, { jwt_token_description: "rotating" });
    const res = await request(`${api}/${old.jwt_token_id}/rotate`, { method: "POST", auth: admin, body: { overlap: "1 second" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ message: "Token rotated", jwt_token_description: "rotating", jwt_token_life: 86_400, rotated_from: old.jwt_token_id });
    expect((await request(`${api}/`, { auth: `Bearer ${old.jwt_token}` })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await request(`${api}/`, { auth: `Bearer ${old.jwt_token}` })).status).toBe(401);
    expect((await request(`${api}/`, { auth: `Bearer ${res.body.jwt_token}` })).status).toBe(401);
    const bad = await request(`${api}/${old.jwt_token_id}/rotate`, { method: "POST", auth: admin, body: { overlap: "soon" } });
    expect(bad.status).toBe(404);
    const { body: other } = await create(admin, {});
    const junk = await request(`${api}/${other.jwt_token_id}/rotate`, { method: "POST", auth: admin, body: { overlap: "soon" } });
    expect(junk.status).toBe(400);
    expect(junk.body.message).toMatch(/overlap: Invalid lifetime "soon"/);
    expect((await request(`${api}/${other.jwt_token_id}/rotate`, { method: "POST", auth: admin })).status).toBe(201);
  });

  it("shows when and from where a token was last used", async () => {
    const { body: created } = await create(admin, {});
    await request(`${api}/`, { auth: `Bearer ${created.jwt_token}` });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const got = await request(`${api}/${created.jwt_token_id}`, { auth: admin });
    expect(got.body.last_used_ip).toBe("127.0.0.1");
    expect(Date.now() - Date.parse(got.body.last_used_at)).toBeLessThan(5_000);
  });
});
