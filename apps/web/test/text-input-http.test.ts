import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { sql } from "./support/sql.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Text no field may hold (core's isSafeText) is refused with a 400 naming the field, on both
 * databases: on PostgreSQL a NUL used to reach the database and come back as a 500 carrying its
 * error text. And a fault of ours is answered without a word of what broke, tRPC included.
 */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const query = (procedure: string, input: unknown) => request(`${server.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { auth: ADMIN });
const mutate = (procedure: string, input: unknown) => request(`${server.url}/api/trpc/${procedure}`, { method: "POST", auth: ADMIN, body: input });
/** Nothing a database (or Prisma) says about what it refused. */
const DATABASE_WORDS = /UTF8|0x00|byte sequence|prisma|invocation|22021|SQLITE|relation|table/i;

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

describe("text no field may hold", () => {
  it("a NUL in the token search or the audit's username filter is a 400, not the database's error", async () => {
    const search = await query("token.search", { q: "a\u0000b" });
    expect([search.status, search.body.error.data.code]).toEqual([400, "BAD_REQUEST"]);
    expect(search.body.error.message).toMatch(/^q: must not contain control characters/);
    const audit = await query("audit.list", { username: "ad\u0000min" });
    expect([audit.status, audit.body.error.message]).toEqual([400, expect.stringMatching(/^username: must not contain control characters/)]);
    for (const answer of [search, audit]) expect(answer.text).not.toMatch(DATABASE_WORDS);
    // The same filters without the NUL work.
    expect((await query("token.search", { q: "ab" })).status).toBe(200);
    expect((await query("audit.list", { username: "admin" })).status).toBe(200);
  });

  it.each([
    ["C1 (CSI, which a terminal obeys)", "deploy\u009b2J"],
    ["C1 (NEL)", "deploy\u0085"],
    ["NUL", "deploy\u0000"],
    ["a right-to-left override", "deploy\u202egnp.exe"],
    ["a lone surrogate", "deploy\ud800"],
  ])("a description with %s is refused over REST and tRPC, naming the field", async (_what, description) => {
    const rest = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: description, jwt_token_life: "1 hour" } });
    expect(rest.status).toBe(400);
    expect(rest.body.errors).toEqual([{ field: "jwt_token_description", message: expect.stringMatching(/^must not contain control characters/) }]);
    const trpc = await mutate("token.create", { description, life: "1 hour" });
    expect([trpc.status, trpc.body.error.message]).toEqual([400, expect.stringMatching(/^description: must not contain/)]);
  });

  it("refuses the same in endpoint patterns, lifetimes, webhook URLs and user names; text in other scripts goes through", async () => {
    const pattern = await request(`${server.url}/v1alpha/token/`, {
      method: "POST",
      auth: ADMIN,
      body: { jwt_token_description: "x", jwt_token_life: "1 hour", jwt_token_endpoints: ["GET /a\u0085b"] },
    });
    expect([pattern.status, pattern.body.errors?.[0]?.field]).toEqual([400, "jwt_token_endpoints.0"]);
    expect((await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "x", jwt_token_life: "1 hour\u0000" } })).status).toBe(400);
    expect((await mutate("webhook.create", { url: "https://hooks.example.com/\u0000", events: ["token.created"] })).status).toBe(400);
    expect((await mutate("user.create", { username: "eve\u0000", password: "eve-password" })).status).toBe(400);
    const fine = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "déploiement ✓ עברית 👨\u200d👩\u200d👧", jwt_token_life: "1 hour" } });
    expect(fine.status).toBe(201);
  });

  it("HTTP Basic with a NUL in the username is refused as bad credentials", async () => {
    const answer = await request(`${server.url}/v1alpha/token/`, { auth: basicAuth("ad\u0000min", "admin-password-1") });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toMatch(DATABASE_WORDS);
  });
});

describe("a fault of ours", () => {
  let database: TestDatabase;
  let broken: RunningServer;
  beforeAll(async () => {
    database = await testDatabase();
    broken = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "admin-password-1" });
  });
  afterAll(async () => {
    await broken?.stop();
    await database?.drop();
  });

  it("is a 500 that says nothing of what broke, over tRPC and REST; the log has it", async () => {
    // An operator's mistake behind the server's back: tables it reads are gone.
    await sql(database, `ALTER TABLE "AuditEvent" RENAME TO "AuditEventMoved"`);
    await sql(database, `ALTER TABLE "WebhookEndpoint" RENAME TO "WebhookEndpointMoved"`);
    const trpc = await request(`${broken.url}/api/trpc/audit.list`, { auth: ADMIN });
    expect(trpc.status).toBe(500);
    expect(trpc.body.error).toMatchObject({ message: "Internal server error", data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } });
    expect(trpc.text).not.toMatch(DATABASE_WORDS);
    expect(trpc.body.error.data.stack).toBeUndefined();
    const rest = await request(`${broken.url}/v1alpha/webhooks/`, { auth: ADMIN });
    expect([rest.status, rest.body]).toEqual([500, { message: "Internal server error" }]);
    await expect.poll(() => broken.output()).toMatch(/AuditEvent[^\n]*"procedure":"audit\.list"[^\n]*\[trpc\] request failed/);
    await expect.poll(() => broken.output()).toMatch(/WebhookEndpoint[^\n]*\[v1alpha\] request failed/);
  });
});
