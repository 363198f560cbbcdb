import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, startServer, type RunningServer, type TestDatabase } from "@tokensmith/testkit";
import { basicAuth, cli, dumpTables, noStack, query, restApi, sha256 } from "./support/backup.js";

/**
 * `tokensmith backup` and `restore` on a real SQLite file served by the real (built) server: the
 * copy is taken while the server writes, and a restore puts back exactly what the copy holds.
 */
let database: TestDatabase;
let dir: string;
let env: Record<string, string>;
let server: RunningServer | undefined;
const api = restApi(() => server!.url, basicAuth("admin", "admin-password-1"));

beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  dir = path.dirname(database.file!);
  // No TOKENSMITH_SECRET: the server creates tokensmith.secret next to the database, as by default.
  env = { PATH: process.env.PATH ?? "", DATABASE_URL: database.url };
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await database.drop();
});

const start = async (url = database.url) => {
  server = await startServer({ DATABASE_URL: url, ADMIN_PASSWORD: "admin-password-1" });
};
const stop = async () => {
  await server!.stop();
  server = undefined;
};
/** Files a backup or restore may leave behind by mistake: temp copies, kept databases. */
const leftovers = (folder: string) => fs.readdirSync(folder).filter((name) => name.startsWith(".") || name.includes("before-restore"));
const tokenIds = (file: string) => query<{ id: string }>(file, `SELECT "id" FROM "AccessToken"`).map((row) => row.id);
const feedTop = (file: string) => query<{ seq: number }>(file, `SELECT max("seq") AS "seq" FROM "TokenRevocation"`)[0]!.seq;

describe("tokensmith backup and restore (SQLite)", () => {
  it("backs up the database of a running server while it writes, and a restore brings back exactly that state", async () => {
    await start();
    const kept = await api.create("kept");
    const revokedBefore = await api.create("revoked before the backup");
    const revokedAfter = await api.create("revoked after the backup");
    expect(await api.revoke(revokedBefore.id)).toBe(200);

    // Tokens are created one after another all the while the copy is taken.
    const backupFile = path.join(dir, "backup.db");
    const during: string[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) during.push((await api.create("during the backup")).id);
    })();
    const backedUp = await cli(env, ["backup", backupFile]);
    writing = false;
    await writer;
    expect(backedUp).toMatchObject({ code: 0, err: "" });
    expect(backedUp.out).toMatch(new RegExp(`^Backed up ${database.file} to ${backupFile}: 1 user, \\d+ tokens, 1 signing key \\(`));
    expect(backedUp.out).toContain(`work only with the master secret (${path.join(dir, "tokensmith.secret")})`);
    // One intact, self-contained file (no -wal beside it), for its owner's eyes only…
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);
    expect(query(backupFile, "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);
    expect(query(backupFile, "PRAGMA journal_mode")).toEqual([{ journal_mode: "delete" }]);
    expect(fs.existsSync(`${backupFile}-wal`)).toBe(false);
    // …holding one moment of the database: the tokens made before it, and those made during it up to some point.
    const inBackup = tokenIds(backupFile);
    const upTo = during.filter((id) => inBackup.includes(id)).length;
    expect(inBackup.sort()).toEqual([kept.id, revokedBefore.id, revokedAfter.id, ...during.slice(0, upTo)].sort());
    expect(during.length).toBeGreaterThan(upTo);

    // The service goes on: a token created, one revoked, a key rotation.
    const createdAfter = await api.create("created after the backup");
    expect(await api.revoke(revokedAfter.id)).toBe(200);
    expect((await cli(env, ["keys", "rotate"])).code).toBe(0);

    // Not while the server has the database open; nothing changes then.
    const busy = await cli(env, ["restore", backupFile]);
    expect(busy).toMatchObject({ code: 1, out: "" });
    expect(busy.err).toBe(`error: ${database.file} is in use: stop the server (and any other tokensmith command using it), then restore\n`);
    expect(await api.self(createdAfter.jwt)).toBe(200);
    expect(leftovers(dir)).toEqual([]);

    await stop();
    const feedBefore = feedTop(database.file!);
    const backupHash = sha256(backupFile);
    const restored = await cli(env, ["restore", backupFile]);
    expect(restored).toMatchObject({ code: 0, err: "" });
    expect(restored.out).toContain(`Restored ${backupFile} into ${database.file}: 1 user, ${inBackup.length} tokens, 1 signing key.\n`);
    expect(restored.out).toContain(`1 token revoked since the backup is in force again:\n  ${revokedAfter.id}\n`);
    // Exactly the backup's state, every row of every table; the backup itself untouched.
    expect(dumpTables(database.file!)).toEqual(dumpTables(backupFile));
    expect(sha256(backupFile)).toBe(backupHash);
    // The replaced database is kept beside it, whole.
    const keptFile = /The database it replaced is kept as (\S+)\.\n/.exec(restored.out)![1]!;
    expect(path.dirname(keptFile)).toBe(dir);
    expect(tokenIds(keptFile)).toContain(createdAfter.id);
    expect(query(keptFile, "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);

    await start();
    expect(await api.self(kept.jwt)).toBe(200);
    expect(await api.self(revokedAfter.jwt)).toBe(200);
    expect(await api.self(revokedBefore.jwt)).toBe(401);
    expect(await api.self(createdAfter.jwt)).toBe(401);
    const during1 = during[upTo]!;
    expect(tokenIds(database.file!)).not.toContain(during1);
    const keys = await cli(env, ["keys", "list"]);
    expect(keys.out.trim().split("\n")).toHaveLength(2);
    // The revocation feed numbers on above every number the replaced database gave its followers.
    expect(await api.revoke(kept.id)).toBe(200);
    expect(feedTop(database.file!)).toBeGreaterThan(feedBefore);
  });

  it("restores onto a new machine only with the master secret the backup was taken with", async () => {
    await start();
    const token = await api.create("moves house");
    await stop();
    const backupFile = path.join(dir, "backup.db");
    expect((await cli(env, ["backup", backupFile])).code).toBe(0);

    const elsewhere = path.join(dir, "elsewhere");
    const there = { ...env, DATABASE_URL: `file:${path.join(elsewhere, "tokensmith.db")}` };
    const secretThere = path.join(elsewhere, "tokensmith.secret");
    const noSecret = await cli(there, ["restore", backupFile]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.err).toBe(
      `error: There is no master secret at ${secretThere}: put the secret kept with this backup there (or set TOKENSMITH_SECRET), then restore again\n`,
    );
    const wrongSecret = await cli({ ...there, TOKENSMITH_SECRET: "another-secret-0123456789abcdefghij" }, ["restore", backupFile]);
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.err).toMatch(/^error: The signing keys in \S+ do not open with the master secret \(TOKENSMITH_SECRET\): restore needs the secret/);
    expect(fs.existsSync(path.join(elsewhere, "tokensmith.db"))).toBe(false);

    fs.mkdirSync(elsewhere);
    fs.copyFileSync(path.join(dir, "tokensmith.secret"), secretThere);
    const restored = await cli(there, ["restore", backupFile]);
    expect(restored.code).toBe(0);
    expect(restored.out).not.toContain("kept as");
    await start(there.DATABASE_URL);
    expect(await api.self(token.jwt)).toBe(200);
  });

  it("restores a backup of an older release, which the server then migrates", async () => {
    await start();
    await stop();
    const fixture = fileURLToPath(new URL("../../web/test/fixtures/previous-release/", import.meta.url));
    const old = JSON.parse(fs.readFileSync(path.join(fixture, "tokens.json"), "utf8")) as Record<"allEndpoints" | "revoked", { token: string }>;
    const restored = await cli(env, ["restore", path.join(fixture, "tokensmith.db")]);
    expect(restored).toMatchObject({ code: 0, err: "" });
    expect(restored.out).toContain(": 1 user, 3 tokens, 0 signing keys.\n");
    await start();
    expect(await api.self(old.allEndpoints.token)).toBe(200);
    expect(await api.self(old.revoked.token)).toBe(401);
  });

  it("refuses bad input with a one-line message, leaving the database and its folder as they were", async () => {
    expect((await cli(env, ["keys", "list"])).code).toBe(0);
    const backupFile = path.join(dir, "backup.db");
    expect((await cli(env, ["backup", backupFile])).code).toBe(0);
    const other = fs.mkdtempSync(path.join(dir, "other-"));
    const file = (name: string, content: string | Buffer) => (fs.writeFileSync(path.join(other, name), content), path.join(other, name));
    const notTokensmith = path.join(other, "other-app.db");
    query(notTokensmith, `CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY)`);
    const newer = path.join(other, "newer.db");
    fs.copyFileSync(backupFile, newer);
    query(newer, `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name") VALUES ('x', 'x', current_timestamp, '29990101000000_future')`);
    const unfinished = path.join(other, "unfinished.db");
    fs.copyFileSync(backupFile, unfinished);
    query(unfinished, `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name") VALUES ('y', 'y', '29990101000000_half')`);
    const damaged = file("damaged.db", fs.readFileSync(backupFile).subarray(0, 8192));
    const before = sha256(database.file!);

    const cases: [string[], number, RegExp][] = [
      [["backup"], 2, /^error: backup takes exactly one FILE\n\nUsage:/],
      [["backup", "a.db", "--frobnicate"], 2, /^error: backup does not take --frobnicate\n/],
      [["restore", "a.db", "b.db"], 2, /^error: restore takes exactly one FILE\n/],
      [["backup", backupFile], 1, /^error: \S+backup\.db exists; give --force to overwrite it\n$/],
      [["backup", path.join(dir, "nowhere", "b.db")], 1, /^error: \S+: the folder \S+nowhere does not exist\n$/],
      [["backup", database.file!, "--force"], 1, /^error: \S+ is the database itself\n$/],
      [["restore", path.join(other, "missing.db")], 1, /^error: \S+missing\.db: no such file\n$/],
      [["restore", other], 1, /^error: \S+ is not a file\n$/],
      [["restore", file("notes.txt", "hello")], 1, /^error: \S+notes\.txt is not an SQLite database\n$/],
      [["restore", notTokensmith], 1, /^error: \S+ is not a Tokensmith database \(it has no migration history\)\n$/],
      [["restore", newer], 1, /^error: \S+ was made by a newer release of Tokensmith \(migration 29990101000000_future\): restore it with that release\n$/],
      [["restore", unfinished], 1, /^error: \S+: its migration 29990101000000_half did not finish\n$/],
      [["restore", damaged], 1, /^error: \S+damaged\.db (is damaged|is not a readable Tokensmith database)/],
      [["restore", database.file!], 1, /^error: \S+ is the database itself\n$/],
    ];
    for (const [args, code, message] of cases) {
      const result = await cli(env, args);
      expect({ args, code: result.code, out: result.out }).toEqual({ args, code, out: "" });
      expect(result.err).toMatch(message);
      expect(noStack(result.err)).toBe(true);
    }
    expect(sha256(database.file!)).toBe(before);
    expect(leftovers(dir)).toEqual([]);
    // --force replaces an earlier backup.
    expect((await cli(env, ["backup", backupFile, "--force"])).code).toBe(0);
  });
});
