import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type OpenedDatabase } from "@tokensmith/db";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { HealthChecks, PROBE_EVERY_MS } from "../src/health/checks.js";

// Readiness against a real database: how often it is asked, and what a missing migration says.
let database: TestDatabase;
let opened: OpenedDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  opened = await openDatabase(database.url);
});
afterAll(async () => {
  await opened?.close();
  await database?.drop();
});

/** The real check, counted. */
function counted(): { health: HealthChecks; queries: () => number } {
  let queries = 0;
  const health = new HealthChecks({
    schemaCurrent: () => {
      queries++;
      return opened.schemaCurrent();
    },
    keysLoaded: () => true,
    listenerLive: null,
  });
  return { health, queries: () => queries };
}

describe("HealthChecks", () => {
  it("asks the database once for any number of probes at once, and at most once a second after", async () => {
    const { health, queries } = counted();
    const answers = await Promise.all(Array.from({ length: 500 }, () => health.readiness()));
    expect(answers.every((a) => a.ready)).toBe(true);
    expect(queries()).toBe(1);
    for (let i = 0; i < 200; i++) await health.readiness();
    expect(queries()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS + 50));
    await Promise.all(Array.from({ length: 100 }, () => health.readiness()));
    expect(queries()).toBe(2);
  });

  it("names the migrations when the newest one this build ships is not recorded, and shutting down", async () => {
    const { health } = counted();
    const [newest] = await opened.db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT "migration_name" FROM "_prisma_migrations" ORDER BY "migration_name" DESC LIMIT 1`,
    );
    await opened.db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "migration_name" = 'renamed' WHERE "migration_name" = '${newest!.migration_name}'`);
    try {
      expect(await health.readiness()).toEqual({ ready: false, checks: { database: "ok", migrations: "failing", signing_keys: "ok" }, failing: ["migrations"] });
    } finally {
      await opened.db.$executeRawUnsafe(`UPDATE "_prisma_migrations" SET "migration_name" = '${newest!.migration_name}' WHERE "migration_name" = 'renamed'`);
    }
    const fresh = counted().health;
    fresh.markStopping();
    expect((await fresh.readiness()).failing).toEqual(["shutdown"]);
  });
});
