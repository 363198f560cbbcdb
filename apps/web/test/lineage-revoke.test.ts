import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@tokensmith/db";
import { seedTokens, type TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * Revoking a token ends its whole lineage in one transaction, however large: a token with tens of
 * thousands of descendants (what a Bearer token creating children leaves behind) is revoked over
 * REST with a 200, every descendant ended and on the revocation feed, never a 500 from a
 * transaction past its time limit. The lineage is seeded straight into the store (an HTTP loop of
 * that many creates takes minutes): a wide level under the root, and a chain under one child.
 */
const WIDE = 10_000;
const CHAIN = 20_000;
const ADMIN = basicAuth("admin", "lineage-admin-password");
let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "lineage-admin-password", MAX_TOKENS_PER_USER: "10000000" });
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("revoking a large lineage", () => {
  // Seeding and revoking 30,000 rows on a loaded machine: time, not a target.
  it("ends the token and every descendant, wide and deep, in one 200", async () => {
    const root = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "root", jwt_token_life: "1 day" } });
    expect(root.status).toBe(201);
    const rootId = root.body.jwt_token_id as string;
    const opened = await openDatabase(database.url);
    try {
      const postgres = opened.target.kind === "postgres";
      const parent = await opened.db.accessToken.findUniqueOrThrow({ where: { id: rootId } });
      const base = { userId: parent.userId, expiresAt: parent.expiresAt.getTime() };
      await seedTokens(opened.db, postgres, { ...base, count: WIDE, parentId: rootId });
      // A chain under one of the wide level's tokens: each link created by the one before it.
      const under = (await opened.db.accessToken.findFirstOrThrow({ where: { parentId: rootId }, select: { id: true } })).id;
      await seedTokens(opened.db, postgres, { ...base, count: CHAIN, parentId: under, chain: true });
      expect(await opened.db.accessToken.count({ where: { parentId: under } })).toBe(1);
      const revoked = await request(`${server.url}/v1alpha/token/${rootId}`, { method: "DELETE", auth: ADMIN });
      expect(revoked.status).toBe(200);
      expect(await opened.db.accessToken.count({ where: { userId: parent.userId, revokedAt: null } })).toBe(0);
      // Each of them once on the revocation feed, the chain's last link included.
      expect(await opened.db.tokenRevocation.count()).toBe(1 + WIDE + CHAIN);
      const onFeed = await opened.db.tokenRevocation.groupBy({ by: ["tokenId"], _count: true });
      expect(onFeed.length).toBe(1 + WIDE + CHAIN);
    } finally {
      await opened.close();
    }
  }, 120_000);
});
