import pg from "pg";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { ensureFirstAdmin, openDatabase, POSTGRES_MIGRATIONS_DIR, type NewToken, type OpenedDatabase } from "../src/index.js";
import { readMigrations } from "../src/migrations.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("PostgreSQL", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase("postgres");
  });
  afterEach(() => database.drop());

  async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  it("migrates once when five instances start together, and makes one first admin", async () => {
    const opened = await Promise.all(
      Array.from({ length: 5 }, () =>
        openDatabase(database.url, { startup: async (db) => void (await ensureFirstAdmin(db, { username: "admin", password: "pw-123456" })) }),
      ),
    );
    const names = readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name);
    expect(opened.map((o) => o.appliedMigrations.length).sort()).toEqual([0, 0, 0, 0, names.length]);
    const rows = await query<{ migration_name: string; checksum: string }>(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY 1`);
    expect(rows).toEqual(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    expect(await opened[0]!.db.user.count()).toBe(1);
    await Promise.all(opened.map((o) => o.close()));
  });

  it("has the same tables, columns, nullability and indexes as SQLite", async () => {
    const sqliteDb = await createTestDatabase("sqlite");
    const [sqlite, postgres] = [await openDatabase(sqliteDb.url), await openDatabase(database.url)];
    await Promise.all([sqlite.close(), postgres.close()]);
    const raw = new Sqlite(sqliteDb.file!, { readonly: true });
    const tables = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`).all() as { name: string }[]).map((t) => t.name).sort();
    const sqliteColumns = tables.flatMap((table) =>
      // table_xinfo: table_info leaves out generated columns (User.usernameKey); hidden 1 is a virtual table's.
      (raw.prepare(`PRAGMA table_xinfo("${table}")`).all() as { name: string; notnull: number; pk: number; hidden: number }[]).filter((c) => c.hidden !== 1).map(
        (c) => `${table}.${c.name} ${c.notnull || c.pk ? "NOT NULL" : "NULL"}`,
      ),
    );
    const sqliteIndexes = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((i) => i.name);
    raw.close();
    await sqliteDb.drop();
    const pgColumns = (
      await query<{ c: string }>(
        `SELECT table_name || '.' || column_name || ' ' || CASE is_nullable WHEN 'NO' THEN 'NOT NULL' ELSE 'NULL' END AS c
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
      )
    ).map((r) => r.c);
    const pgIndexes = (await query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`)).map((r) => r.indexname);
    expect(pgColumns.sort()).toEqual(sqliteColumns.sort());
    expect(pgIndexes.sort()).toEqual(sqliteIndexes.sort());
  });

  describe("the change feed", () => {
    let a: OpenedDatabase;
    let b: OpenedDatabase;
    let tokenId: string;
    let userId: string;
    /** Instance a's cache states as it reports them, in order. */
    let aStates: boolean[];
    beforeEach(async () => {
      aStates = [];
      a = await openDatabase(database.url, { onCacheState: (live) => void aStates.push(live) });
      b = await openDatabase(database.url);
      userId = (await a.db.user.create({ data: { username: "alice", passwordHash: "x" } })).id;
      tokenId = crypto.randomUUID();
      await a.db.accessToken.create({
        data: { id: tokenId, userId, description: "d", lifeSeconds: 60, tokenHash: "h", createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) },
      });
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it("a revoke on one instance is seen by the other on its next read", async () => {
      expect(await a.tokens.activeToken(tokenId, userId)).toBeDefined();
      const { ended } = await b.tokenWriter.endLineage({ ids: [tokenId], owner: null, at: Date.now() });
      expect(ended).toEqual([tokenId]);
      // Only the notification can tell instance a, and b answered once a had acknowledged it.
      expect(await a.tokens.activeToken(tokenId, userId)).toBeUndefined();
    });

    it("announces a revoke but not a create: another instance reads a new token at once all the same", async () => {
      const listener = new pg.Client({ connectionString: database.url });
      await listener.connect();
      const heard: string[] = [];
      // Each instance's heartbeat ("ping:…") travels on the same channel: not a change.
      listener.on("notification", (n) => {
        if (!n.payload?.startsWith("ping:")) heard.push(n.payload ?? "");
      });
      await listener.query("LISTEN tokensmith_tokens");
      try {
        const now = Date.now();
        const child: NewToken = {
          id: crypto.randomUUID(), userId, description: "child", lifeSeconds: 30, tokenHash: "h2", endpoints: null, familyId: null,
          parentId: tokenId, signingKeyId: null, rateLimitRequests: null, rateLimitSeconds: null, allowedIps: null, maxUses: null, usesLeft: null, audience: null, dpopJkt: null,
          createdAt: now, expiresAt: now + 30_000,
        };
        const created = await b.tokenWriter.create(child, now);
        expect(created.ok && created.token).toMatchObject({ id: child.id, parentId: tokenId, description: "child", expiresAt: new Date(now + 30_000) });
        expect(await a.tokens.activeToken(child.id, userId)).toMatchObject({ id: child.id, revokedAt: null });
        await b.tokenWriter.endLineage({ ids: [child.id], owner: null, at: Date.now() });
        // Notifications arrive in commit order: once the revoke's is here, a create's would be too.
        for (let i = 0; i < 100 && heard.length === 0; i++) await pause(20);
        expect(heard).toEqual([child.id]);
        // Sent to instance a too, which reads it off its own connection within moments.
        for (let i = 0; i < 100 && (await a.tokens.activeToken(child.id, userId)); i++) await pause(20);
        expect(await a.tokens.activeToken(child.id, userId)).toBeUndefined();
      } finally {
        await listener.end();
      }
    });

    it("serves no cached row while its listening connection is gone, and recovers", async () => {
      expect(await a.tokens.activeToken(tokenId, userId)).toBeDefined();
      const killed = await query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tokensmith-listener'`,
      );
      expect(killed[0]!.n).toBe(2);
      // The server closes the connection; a hears of it a moment later (until then nobody can know).
      for (let i = 0; i < 200 && !aStates.includes(false); i++) await pause(5);
      expect(aStates).toContain(false);
      // Meanwhile a raw write with no notification anyone receives (both listeners are down; a may
      // be back already, 100 ms on, having emptied its cache again).
      await query(`UPDATE "AccessToken" SET "revokedAt" = now() WHERE "id" = $1`, [tokenId]);
      expect(await a.tokens.activeToken(tokenId, userId)).toBeUndefined();
      // Back to listening within the reconnect backoff, with an empty cache.
      for (let i = 0; i < 100 && !(a.cacheLive() && b.cacheLive()); i++) await pause(20);
      expect(a.cacheLive()).toBe(true);
      await b.db.accessToken.update({ where: { id: tokenId }, data: { revokedAt: null } });
      await pause(20);
      expect(await a.tokens.activeToken(tokenId, userId)).toBeDefined();
      await b.tokenWriter.endLineage({ ids: [tokenId], owner: null, at: Date.now() });
      await pause(20);
      expect(await a.tokens.activeToken(tokenId, userId)).toBeUndefined();
    });
  });
});
