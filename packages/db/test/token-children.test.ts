import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, seedTokens, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { openDatabase, type OpenedDatabase } from "../src/index.js";
import { SQLITE_CHILDREN_SQL } from "../src/sqlite/token-reader.js";
import { POSTGRES_CHILDREN_SQL } from "../src/postgres/token-reader.js";

/**
 * A token's page lists the tokens it created. Its owner has 20,000 other tokens: the read must walk
 * the children's own index, never the owner's list index (which read every one of the owner's
 * tokens for each page view: 0.8 s at a million).
 */
let database: TestDatabase;
let opened: OpenedDatabase;
let userId: string;
let parentId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  const postgres = opened.target.kind === "postgres";
  userId = (await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
  const other = (await opened.db.user.create({ data: { username: "bob", passwordHash: "x" } })).id;
  await seedTokens(opened.db, postgres, { userId, count: 20_000, expiresAt: Date.now() + DAY, createdEveryMs: 1000 });
  parentId = (await opened.db.accessToken.findFirstOrThrow({ where: { userId }, select: { id: true } })).id;
  await seedTokens(opened.db, postgres, { userId, count: 150, expiresAt: Date.now() + DAY, createdEveryMs: 997, parentId });
  // Another user's tokens naming the same parent are not this page's to show.
  await seedTokens(opened.db, postgres, { userId: other, count: 5, expiresAt: Date.now() + DAY, parentId });
}, 120_000);
afterAll(async () => {
  await opened.close();
  await database.drop();
});

describe(`a token's children (${testDatabaseKind()})`, () => {
  it("are the owner's tokens it created, newest first, at most the limit", async () => {
    const children = await opened.tokens.childrenOf(parentId, userId, 100);
    const expected = await opened.db.accessToken.findMany({ where: { parentId, userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100 });
    expect(children).toHaveLength(100);
    expect(children).toEqual(expected);
    expect(await opened.tokens.childrenOf(parentId, "nobody", 100)).toEqual([]);
    expect(await opened.tokens.childrenOf(children[0]!.id, userId, 100)).toEqual([]);
  });

  it("walk the (parentId, createdAt, id) index, with no sort and not the owner's list index", async () => {
    const plan = await childrenPlan();
    expect(plan).toMatch(/AccessToken_parentId_createdAt_id_idx/);
    expect(plan).not.toMatch(/AccessToken_userId_/);
    expect(plan).not.toMatch(database.kind === "sqlite" ? /TEMP B-TREE/ : /Sort/);
  });
});

/** The children statement's plan, as the database explains it (SQLite's query plan, PostgreSQL's EXPLAIN after ANALYZE). */
async function childrenPlan(): Promise<string> {
  if (database.kind === "sqlite") {
    const raw = new Sqlite(database.file!, { readonly: true });
    try {
      return (raw.prepare(`EXPLAIN QUERY PLAN ${SQLITE_CHILDREN_SQL}`).all(parentId, userId, 100) as { detail: string }[]).map((r) => r.detail).join("\n");
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`ANALYZE "AccessToken"`);
    return (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${POSTGRES_CHILDREN_SQL}`, [parentId, userId, 100])).rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}
