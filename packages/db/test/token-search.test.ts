import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase, type TokenQuery } from "../src/index.js";
import { TOTAL_COUNT_BOUND } from "../src/token-query.js";
import { sqliteSearchStatements } from "../src/sqlite/token-search.js";
import { postgresSearchStatements } from "../src/postgres/token-search.js";
import Sqlite from "better-sqlite3";
import pg from "pg";

let database: TestDatabase;
let opened: OpenedDatabase;
let userId: string;
const now = Date.parse("2030-01-10T12:00:00Z");
const HOUR = 3_600_000;

/** id → facts; ids are chosen so that id order differs from every other order. */
const seed = [
  { id: "aa000000-0000-4000-8000-000000000001", description: "Alpha deploy", life: 1, createdAgo: 0.5, lastUsed: 3 },
  { id: "bb000000-0000-4000-8000-000000000002", description: "beta CI", life: 1, createdAgo: 0.95, endpoints: ["GET /x"] },
  { id: "cc000000-0000-4000-8000-000000000003", description: "gamma 100% off", life: 1, createdAgo: 2 },
  { id: "dd000000-0000-4000-8000-000000000004", description: "delta", life: 24, createdAgo: 1, revokedAgo: 0.5 },
  { id: "ee000000-0000-4000-8000-000000000005", description: "epsilon", life: 24, createdAgo: 1, revokedIn: 0.5, lastUsed: 1 },
  { id: "ff000000-0000-4000-8000-000000000006", description: "alpha backup", life: 24, createdAgo: 1 },
];

beforeEach(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
  userId = (await opened.db.user.create({ data: { username: "u", passwordHash: "x" } })).id;
  for (const t of seed) {
    await opened.db.accessToken.create({
      data: {
        id: t.id, userId, description: t.description, lifeSeconds: t.life * 3600, tokenHash: t.id,
        createdAt: new Date(now - t.createdAgo * HOUR), expiresAt: new Date(now - t.createdAgo * HOUR + t.life * HOUR),
        endpoints: t.endpoints ? JSON.stringify(t.endpoints) : null,
        revokedAt: t.revokedAgo ? new Date(now - t.revokedAgo * HOUR) : t.revokedIn ? new Date(now + t.revokedIn * HOUR) : null,
        lastUsedAt: t.lastUsed ? new Date(now - t.lastUsed * 60_000) : null,
      },
    });
  }
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

const search = async (over: Partial<TokenQuery>) =>
  (await opened.tokens.search({ userId, sort: "created", order: "desc", offset: 0, limit: 50, now, ...over })).tokens.map((t) => t.description);

describe(`token search (${testDatabaseKind()})`, () => {
  it("filters by state with each token's own 'soon' window", async () => {
    expect(await search({ state: "expiring" })).toEqual(["beta CI"]);
    expect(await search({ state: "expired" })).toEqual(["gamma 100% off"]);
    expect(await search({ state: "revoked" })).toEqual(["delta"]);
    expect((await search({ state: "valid" })).sort()).toEqual(["Alpha deploy", "alpha backup", "epsilon"].sort());
    expect((await search({})).length).toBe(5);
    // Active: still working (the rotation overlap included); inactive: expired or revoked.
    expect((await search({ state: "active" })).sort()).toEqual(["Alpha deploy", "alpha backup", "beta CI", "epsilon"].sort());
    expect((await search({ state: "inactive" })).sort()).toEqual(["delta", "gamma 100% off"].sort());
    // "all" reads no time: PostgreSQL refused the unused parameter it once left behind.
    expect((await search({ state: "all" })).length).toBe(6);
    expect(await search({ state: "all", text: "delta" })).toEqual(["delta"]);
  });

  it("matches every word given, in any order, in the description or as an id prefix", async () => {
    await opened.db.accessToken.create({
      data: {
        id: "ab000000-0000-4000-8000-000000000007", userId, description: "payments (prod)", lifeSeconds: 86_400, tokenHash: "h7",
        createdAt: new Date(now - HOUR), expiresAt: new Date(now + 23 * HOUR),
      },
    });
    expect(await search({ text: "prod payments" })).toEqual(["payments (prod)"]);
    expect(await search({ text: "  PAYMENTS   prod " })).toEqual(["payments (prod)"]);
    expect(await search({ text: "prod staging" })).toEqual([]);
    expect(await search({ text: "ab00 prod" })).toEqual(["payments (prod)"]);
    expect((await search({ text: "alpha" })).sort()).toEqual(["Alpha deploy", "alpha backup"].sort());
    expect(await search({ text: "backup alpha" })).toEqual(["alpha backup"]);
  });

  it("searches every user's tokens when no user is named (administrators)", async () => {
    const other = (await opened.db.user.create({ data: { username: "v", passwordHash: "x" } })).id;
    await opened.db.accessToken.create({
      data: { id: "a1000000-0000-4000-8000-000000000008", userId: other, description: "other alpha", lifeSeconds: 86_400, tokenHash: "h8", createdAt: new Date(now), expiresAt: new Date(now + HOUR) },
    });
    expect(await search({ text: "alpha" })).not.toContain("other alpha");
    expect((await search({ userId: null, text: "alpha" })).sort()).toEqual(["Alpha deploy", "alpha backup", "other alpha"].sort());
  });

  it("searches descriptions case-insensitively and ids by prefix, with LIKE's wildcards taken literally", async () => {
    expect((await search({ text: "ALPHA" })).sort()).toEqual(["Alpha deploy", "alpha backup"].sort());
    expect(await search({ text: "bb00" })).toEqual(["beta CI"]);
    expect(await search({ text: "100%" })).toEqual(["gamma 100% off"]);
    expect(await search({ text: "%" })).toEqual(["gamma 100% off"]);
    expect(await search({ text: "_" })).toEqual([]);
    expect(await search({ endpoints: "limited" })).toEqual(["beta CI"]);
  });

  it("sorts by creation, expiry and last use (never used last), ties by id, and pages stably", async () => {
    expect(await search({ sort: "expires", order: "asc" })).toEqual(["gamma 100% off", "beta CI", "Alpha deploy", "epsilon", "alpha backup"]);
    // Never used last, ties by id in the sort's direction: descending here, ascending below.
    expect(await search({ sort: "last_used", order: "desc" })).toEqual(["epsilon", "Alpha deploy", "alpha backup", "gamma 100% off", "beta CI"]);
    expect(await search({ sort: "last_used", order: "asc" })).toEqual(["Alpha deploy", "epsilon", "beta CI", "gamma 100% off", "alpha backup"]);
    // epsilon and alpha backup were created at the same moment: id breaks the tie, in the sort's
    // direction (so one index walks either way), on every page.
    const pages = [await search({ limit: 2, offset: 0 }), await search({ limit: 2, offset: 2 }), await search({ limit: 2, offset: 4 })];
    expect(pages.flat()).toEqual(["Alpha deploy", "beta CI", "alpha backup", "epsilon", "gamma 100% off"]);
    expect(await search({ order: "asc" })).toEqual(["gamma 100% off", "epsilon", "alpha backup", "beta CI", "Alpha deploy"]);
    const page = await opened.tokens.search({ userId, sort: "created", order: "desc", offset: 0, limit: 2, now });
    expect(page.total).toBe(5);
    expect(page.totalExact).toBe(true);
    expect(page.tokens[0]!.tokenHash).toBe("");
  });
});

describe(`token search over many tokens (${testDatabaseKind()})`, () => {
  // TOTAL_COUNT_BOUND + 51 tokens: one more than the count reads from the first page.
  const many = TOTAL_COUNT_BOUND + 51;
  beforeEach(async () => {
    const rows = Array.from({ length: many }, (_, i) => ({
      id: `9${String(i).padStart(7, "0")}-0000-4000-8000-000000000000`, userId, description: `bulk ${i % 2 === 0 ? "even" : "odd"} ${i}`,
      lifeSeconds: 86_400, tokenHash: `bulk${i}`, createdAt: new Date(now - HOUR - i * 1000), expiresAt: new Date(now - HOUR - i * 1000 + 86_400_000),
    }));
    for (let i = 0; i < rows.length; i += 2_000) await opened.db.accessToken.createMany({ data: rows.slice(i, i + 2_000) });
  }, 120_000);
  const page = (over: Partial<TokenQuery>) => opened.tokens.search({ userId, sort: "created", order: "desc", offset: 0, limit: 50, now, ...over });

  it("stops counting TOTAL_COUNT_BOUND rows past the page's first row, and says the total is a lower bound", { timeout: 120_000 }, async () => {
    const first = await page({});
    expect(first.tokens).toHaveLength(50);
    expect(first.tokens[0]!.description).toBe("Alpha deploy");
    expect({ total: first.total, totalExact: first.totalExact }).toEqual({ total: TOTAL_COUNT_BOUND, totalExact: false });
    // Further on, the count reaches past it again: the last pages are counted exactly.
    const later = await page({ offset: 100 });
    expect({ total: later.total, totalExact: later.totalExact }).toEqual({ total: many + 5, totalExact: true });
    // A search reads at most TOTAL_COUNT_BOUND rows past the page's first: with more in the list,
    // its total is what it found there, "N+"; several words still all match, in any order.
    const oddOnes = (upTo: number) => Array.from({ length: upTo }, (_, i) => i).filter((i) => i % 2 === 1 && String(i).includes("1")).length;
    const odd = await page({ text: "1 odd" });
    expect(odd.tokens).toHaveLength(50);
    expect(odd.tokens.every((t) => /^bulk odd \d*1\d*$/.test(t.description))).toBe(true);
    // The list's first 10,001 rows: Alpha deploy, beta CI, the other three seeds' places, then bulk 0…
    expect({ total: odd.total, totalExact: odd.totalExact }).toEqual({ total: oddOnes(TOTAL_COUNT_BOUND + 1 - 3), totalExact: false });
    // From further on it reads to the list's end: exact.
    const oddLater = await page({ text: "1 odd", offset: 100 });
    expect({ total: oddLater.total, totalExact: oddLater.totalExact }).toEqual({ total: oddOnes(many), totalExact: true });
    const oddIndexes = Array.from({ length: many }, (_, i) => i).filter((i) => i % 2 === 1 && String(i).includes("1"));
    expect(odd.tokens.map((t) => t.description)).toEqual(oddIndexes.slice(0, 50).map((i) => `bulk odd ${i}`));
    expect(oddLater.tokens.map((t) => t.description)).toEqual(oddIndexes.slice(100, 150).map((i) => `bulk odd ${i}`));
  });

  it("reads a first page by walking an index in the list's order, with no sort of the matching rows", { timeout: 120_000 }, async () => {
    const lists: Partial<TokenQuery>[] = [
      {},
      { state: "active" },
      { order: "asc" },
      { sort: "expires", order: "asc", state: "active" },
      { sort: "expires", order: "desc" },
      { userId: null },
      // A search walks the same index and sorts only the rows it read that match (bounded).
      { text: "odd 1" },
    ];
    for (const list of lists) {
      const plan = await pagePlan({ userId, sort: "created", order: "desc", offset: 0, limit: 50, now, ...list });
      expect(plan, JSON.stringify(list)).toMatch(/AccessToken_(userId_)?(createdAt|expiresAt)_id(_revokedAt)?_idx/);
      if (!list.text) expect(plan, JSON.stringify(list)).not.toMatch(database.kind === "sqlite" ? /TEMP B-TREE/ : /Sort/);
    }
  });
});

/** The plan of a search's page statement, as the database explains it (SQLite's query plan, PostgreSQL's EXPLAIN). */
async function pagePlan(q: TokenQuery): Promise<string> {
  if (database.kind === "sqlite") {
    const { page } = sqliteSearchStatements(q);
    const raw = new Sqlite(database.file!, { readonly: true });
    try {
      return (raw.prepare(`EXPLAIN QUERY PLAN ${page.sql}`).all(page.values) as { detail: string }[]).map((r) => r.detail).join("\n");
    } finally {
      raw.close();
    }
  }
  const { page } = postgresSearchStatements(q);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`ANALYZE "AccessToken"`);
    return (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${page.sql}`, page.values)).rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await client.end();
  }
}

describe(`usage counts (${testDatabaseKind()})`, () => {
  it("adds counts of the same hour from several instances", async () => {
    const other = await openDatabase(database.url);
    const hour = Date.parse("2030-01-10T11:00:00Z");
    const row = { tokenId: seed[0]!.id, hour, allowed: 3, unauthorized: 1, forbidden: 0, limited: 0 };
    await Promise.all([opened.usage.add([row]), other.usage.add([{ ...row, allowed: 2, forbidden: 4 }])]);
    await opened.usage.add([{ ...row, hour: hour + HOUR, allowed: 1, unauthorized: 0 }]);
    await other.close();
    expect(await opened.usage.hours(seed[0]!.id, hour, hour + 2 * HOUR)).toEqual([
      { tokenId: seed[0]!.id, hour, allowed: 5, unauthorized: 2, forbidden: 4, limited: 0 },
      { tokenId: seed[0]!.id, hour: hour + HOUR, allowed: 1, unauthorized: 0, forbidden: 0, limited: 0 },
    ]);
    expect(await opened.usage.hours(seed[0]!.id, hour + HOUR, hour + 2 * HOUR)).toHaveLength(1);
  });
});
