import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * Which database the suites run against: `TOKENSMITH_TEST_DATABASE=postgres` (with the cluster
 * URL in TOKENSMITH_TEST_POSTGRES_URL, set by scripts/test.sh or the vitest global setup) or
 * SQLite (the default). Every test gets a database of its own.
 */
export type TestDatabaseKind = "sqlite" | "postgres";

export const testDatabaseKind = (): TestDatabaseKind => (process.env.TOKENSMITH_TEST_DATABASE === "postgres" ? "postgres" : "sqlite");

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** What DATABASE_URL would say. */
  url: string;
  /** The SQLite file (SQLite only). */
  file?: string;
  drop(): Promise<void>;
}

function clusterUrl(): string {
  const url = process.env.TOKENSMITH_TEST_POSTGRES_URL;
  if (!url) throw new Error("TOKENSMITH_TEST_POSTGRES_URL is not set: run through `npm test`, or with the testkit's vitest global setup");
  return url;
}

/** A new, empty database: a file in a temp folder, or a fresh database in the test cluster. */
export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-test-"));
    const file = path.join(dir, "tokensmith.db");
    return { kind, url: `file:${file}`, file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: clusterUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(clusterUrl());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: clusterUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
