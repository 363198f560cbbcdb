import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR, openDatabase, ensureFirstAdmin } from "../src/index.js";

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-db-"));
  dirs.push(dir);
  return path.join(dir, "nested", "test.db");
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("migrations (SQLite)", () => {
  it("creates the file, applies every migration once and records Prisma's checksums", async () => {
    const file = tempFile();
    const first = await openDatabase(file);
    const names = fs.readdirSync(MIGRATIONS_DIR).filter((n) => fs.statSync(path.join(MIGRATIONS_DIR, n)).isDirectory());
    expect(first.appliedMigrations).toEqual(names.sort());
    await first.close();

    const second = await openDatabase(file);
    expect(second.appliedMigrations).toEqual([]);
    await second.close();

    const raw = new Sqlite(file, { readonly: true });
    const rows = raw.prepare(`SELECT migration_name, checksum, finished_at FROM _prisma_migrations`).all() as {
      migration_name: string;
      checksum: string;
      finished_at: string | null;
    }[];
    expect(rows.map((r) => r.migration_name)).toEqual(names.sort());
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("upgrades a database made by an older version, keeping its rows", async () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const [first, ...later] = fs.readdirSync(MIGRATIONS_DIR).filter((n) => !n.endsWith(".toml")).sort();
    const old = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-old-"));
    dirs.push(old);
    fs.cpSync(path.join(MIGRATIONS_DIR, first!), path.join(old, first!), { recursive: true });
    const raw = new Sqlite(file);
    applyMigrations(raw, old);
    raw.prepare(`INSERT INTO "User" (id, username, passwordHash) VALUES ('u1', 'old-user', 'x')`).run();
    raw.close();

    const upgraded = await openDatabase(file);
    expect(upgraded.appliedMigrations).toEqual(later);
    expect(await upgraded.db.user.findUnique({ where: { username: "old-user" } })).toMatchObject({ id: "u1" });
    await upgraded.close();
  });

  it("refuses to go on after a failed migration", () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const raw = new Sqlite(file);
    applyMigrations(raw);
    raw.prepare(`INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('x', 'y', '99_broken')`).run();
    expect(() => applyMigrations(raw)).toThrow(/99_broken failed earlier/);
    raw.close();
  });

  it("rolls a broken migration back whole", () => {
    const file = tempFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-mig-"));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, "1_good"));
    fs.writeFileSync(path.join(dir, "1_good", "migration.sql"), `CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);`);
    fs.mkdirSync(path.join(dir, "2_bad"));
    fs.writeFileSync(path.join(dir, "2_bad", "migration.sql"), `CREATE TABLE "B" ("id" INTEGER); SELECT * FROM nope;`);
    const raw = new Sqlite(file);
    expect(() => applyMigrations(raw, dir)).toThrow(/nope/);
    const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(["A", "_prisma_migrations"]);
    raw.close();
  });
});

describe("bootstrap (SQLite)", () => {
  it("creates the first admin once", async () => {
    const opened = await openDatabase(tempFile());
    const created = await ensureFirstAdmin(opened.db, { username: "root", password: undefined });
    expect(created).toMatchObject({ created: true, username: "root" });
    if (created.created) expect(created.generatedPassword).toMatch(/^[\w-]{20,}$/);
    expect(await ensureFirstAdmin(opened.db, { username: "other", password: "x" })).toEqual({ created: false });
    const users = await opened.db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ username: "root", isAdmin: true });
    expect(users[0]!.passwordHash).toMatch(/^scrypt\$/);

    await opened.close();
  });
});
