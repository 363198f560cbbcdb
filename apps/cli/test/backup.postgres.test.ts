import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, startServer, TEST_MASTER_SECRET, type RunningServer, type TestDatabase } from "@tokensmith/testkit";
import { basicAuth, cli, noStack, restApi } from "./support/backup.js";

/**
 * On PostgreSQL the CLI does not copy the database: it points to pg_dump and pg_restore — and the
 * way the docs give (docs/guides/backups.md) (a pg_dump -Fc, the same TOKENSMITH_SECRET, pg_restore --clean) is run here.
 */
let database: TestDatabase;
let folder: string;
let server: RunningServer | undefined;
const api = restApi(() => server!.url, basicAuth("admin", "admin-password-1"));

beforeEach(async () => {
  database = await createTestDatabase("postgres");
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-pg-backup-"));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await database.drop();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** Debian's PostgreSQL tools (the test cluster's own version). */
function pgTool(tool: string): string {
  const base = "/usr/lib/postgresql";
  const version = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a))[0]!;
  return path.join(base, version, "bin", tool);
}

describe("tokensmith backup and restore (PostgreSQL)", () => {
  it("point to pg_dump and pg_restore, exit 1, and write nothing", async () => {
    const env = { PATH: process.env.PATH ?? "", DATABASE_URL: database.url, TOKENSMITH_SECRET: TEST_MASTER_SECRET };
    const file = path.join(folder, "backup.db");
    for (const command of ["backup", "restore"]) {
      const result = await cli(env, [command, file]);
      expect(result).toMatchObject({ code: 1, out: "" });
      expect(result.err).toBe(
        "error: backup and restore work on SQLite only. On PostgreSQL use its own tools — pg_dump -Fc to back up, pg_restore to restore — " +
          "and keep TOKENSMITH_SECRET (or TOKENSMITH_SECRET_FILE's file) as well: the signing keys in the dump open with nothing else\n",
      );
      expect(noStack(result.err)).toBe(true);
    }
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it("the docs' way back: pg_dump -Fc, the same TOKENSMITH_SECRET, pg_restore --clean", async () => {
    const start = async () => {
      server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "admin-password-1", TOKENSMITH_SECRET: TEST_MASTER_SECRET });
    };
    await start();
    const kept = await api.create("kept");
    const dump = path.join(folder, "tokensmith.dump");
    execFileSync(pgTool("pg_dump"), ["-Fc", "-f", dump, database.url]);
    const createdAfter = await api.create("created after the dump");
    expect(await api.revoke(kept.id)).toBe(200);
    await server!.stop();
    server = undefined;

    execFileSync(pgTool("pg_restore"), ["--clean", "--if-exists", "--no-owner", "-d", database.url, dump]);
    await start();
    expect(await api.self(kept.jwt)).toBe(200);
    expect(await api.self(createdAfter.jwt)).toBe(401);
  });
});
