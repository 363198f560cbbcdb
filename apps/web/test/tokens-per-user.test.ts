import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * MAX_TOKENS_PER_USER bounds what one user can put on the revocation feed, which every verifier
 * downloads and holds: unexpired tokens count, revoked ones included (the feed names each until
 * it expires), so creating and revoking in a loop cannot grow it past the limit. Refused on every
 * path that makes a token: REST and tRPC create, rotation, a token creating a child.
 */
const LIMIT = 4;
const ADMIN = basicAuth("admin", "per-user-admin-password");
const ALICE = basicAuth("alice", "alice-password-123");
let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "per-user-admin-password", MAX_TOKENS_PER_USER: String(LIMIT) });
  const user = await request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: ADMIN, body: { username: "alice", password: "alice-password-123" } });
  expect(user.status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const create = (auth: string, life = "1 hour") =>
  request(`${server.url}/v1alpha/token/`, { method: "POST", auth, body: { jwt_token_description: "per user", jwt_token_life: life } });
const createOverTrpc = (auth: string) =>
  request(`${server.url}/api/trpc/token.create`, { method: "POST", auth, body: { description: "per user", life: "1 hour" } });
const refusal = /holds 4 unexpired tokens, the most MAX_TOKENS_PER_USER allows/;

describe("MAX_TOKENS_PER_USER", () => {
  it("refuses a user's next token on REST and tRPC, counts revoked tokens until they expire, and leaves other users alone", async () => {
    const made = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await create(ALICE);
      expect(res.status).toBe(201);
      made.push(res.body as { jwt_token: string; jwt_token_id: string });
    }
    const rest = await create(ALICE);
    expect(rest.status).toBe(403);
    expect(rest.body.message).toMatch(refusal);
    const trpc = await createOverTrpc(ALICE);
    expect(trpc.status).toBe(403);
    expect(trpc.body.error.message).toMatch(refusal);
    // A token creating a child, and a rotation, make a token too.
    const child = await create(`Bearer ${made[0]!.jwt_token}`, "10 minutes");
    expect(child.status).toBe(403);
    expect(child.body.message).toMatch(refusal);
    const rotated = await request(`${server.url}/v1alpha/token/${made[1]!.jwt_token_id}/rotate`, { method: "POST", auth: ALICE, body: {} });
    expect(rotated.status).toBe(403);
    expect(rotated.body.message).toMatch(refusal);

    // Revoking frees nothing: the revoked token stays on the feed until it expires.
    expect((await request(`${server.url}/v1alpha/token/${made[2]!.jwt_token_id}`, { method: "DELETE", auth: ALICE })).status).toBe(200);
    expect((await create(ALICE)).status).toBe(403);
    // Another user has a limit of their own.
    expect((await create(ADMIN)).status).toBe(201);
  });

  it("counts a token no longer once it has expired", async () => {
    const bob = basicAuth("bob", "bob-password-1234");
    expect((await request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: ADMIN, body: { username: "bob", password: "bob-password-1234" } })).status).toBe(200);
    for (let i = 0; i < LIMIT; i++) expect((await create(bob, "2 seconds")).status).toBe(201);
    expect((await create(bob)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await create(bob)).status).toBe(201);
  });

  it("holds under concurrency: of 20 creates at once, the limit's worth pass (SQLite: exactly)", async () => {
    const carol = basicAuth("carol", "carol-password-123");
    expect((await request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: ADMIN, body: { username: "carol", password: "carol-password-123" } })).status).toBe(200);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => create(carol).then((res) => res.status)));
    const created = statuses.filter((status) => status === 201).length;
    console.log(`20 creates at once under a limit of ${LIMIT} (${database.kind}): ${created} passed`);
    expect(statuses.filter((status) => status !== 201).every((status) => status === 403)).toBe(true);
    // PostgreSQL counts each create in its own statement: creates racing at the limit may each pass it once.
    if (database.kind === "sqlite") expect(created).toBe(LIMIT);
    else expect(created).toBeGreaterThanOrEqual(LIMIT);
    expect((await create(carol)).status).toBe(403);
  });

  it("refuses a value that is not a count at start, in one line", async () => {
    const bad = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "x", MAX_TOKENS_PER_USER: "lots" }).catch((error: Error) => error);
    expect(bad).toBeInstanceOf(Error);
    expect(String(bad)).toMatch(/MAX_TOKENS_PER_USER "lots" must be a whole number from 1 to 10000000/);
  });
});
