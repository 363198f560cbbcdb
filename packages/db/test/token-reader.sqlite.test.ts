import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { openDatabase, type OpenedDatabase } from "../src/index.js";

let database: TestDatabase;
let opened: OpenedDatabase;
let tokenId: string;
let userId: string;

beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  opened = await openDatabase(database.url);
  const user = await opened.db.user.create({ data: { username: "alice", passwordHash: "x" } });
  userId = user.id;
  tokenId = crypto.randomUUID();
  await opened.db.accessToken.create({
    data: { id: tokenId, userId, description: "d", lifeSeconds: 60, tokenHash: "h", createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000) },
  });
});
afterEach(async () => {
  await opened.close();
  await database.drop();
});

describe("token reader (SQLite's data_version)", () => {
  it("sees a raw write by another process's connection on the next read", async () => {
    expect(await opened.tokens.activeToken(tokenId, userId)).toBeDefined();
    const other = new Sqlite(database.file!);
    other.prepare(`UPDATE "AccessToken" SET "revokedAt" = ? WHERE "id" = ?`).run(new Date().toISOString(), tokenId);
    other.close();
    expect(await opened.tokens.activeToken(tokenId, userId)).toBeUndefined();
  });

  it("serves from memory until told otherwise when the recheck interval is long", async () => {
    const reader = (await import("../src/sqlite/token-reader.js")).createTokenReader(database.file!, { recheckMs: 60_000 });
    expect(reader.authRecord(tokenId)?.revokedAt).toBeNull();
    await opened.db.accessToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    expect(reader.authRecord(tokenId)?.revokedAt).toBeNull();
    reader.invalidate();
    expect(reader.authRecord(tokenId)?.revokedAt).toBeTypeOf("number");
    reader.close();
  });
});

/** Built by `pnpm build` (scripts/build-native.mjs) wherever a C compiler and Node's headers are. */
const nativeHelper = fileURLToPath(new URL("../dist/native/shm-map.node", import.meta.url));
const nativeStatus = JSON.parse(fs.readFileSync(new URL("../dist/native/status.json", import.meta.url), "utf8")) as { built: boolean; reason: string | null };

describe.each(["mapped", "read"] as const)("commit probe, header %s", (mode) => {
  it.skipIf(mode === "mapped" && !fs.existsSync(nativeHelper))("says changed once after each commit by any connection, and not otherwise", async () => {
    const { openCommitProbe } = await import("../src/sqlite/commit-probe.js");
    // A file of its own: this probe's descriptor must not be shared with (and closed under) the
    // connections the other tests opened.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-"));
    const file = path.join(dir, "probe.db");
    const writer = new Sqlite(file);
    writer.pragma("journal_mode = WAL");
    writer.exec("CREATE TABLE t (x INTEGER)");
    const probe = openCommitProbe(file, { map: mode === "mapped" })!;
    expect(probe.mode).toBe(mode);
    expect(probe.usable).toBe(true);
    expect(probe.changed()).toBe(false);
    // A read changes nothing.
    const other = new Sqlite(file);
    other.prepare("SELECT * FROM t").all();
    expect(probe.changed()).toBe(false);
    other.prepare("INSERT INTO t VALUES (1)").run();
    expect(probe.changed()).toBe(true);
    expect(probe.changed()).toBe(false);
    writer.prepare("UPDATE t SET x = 2").run();
    expect(probe.changed()).toBe(true);
    // A commit by another process.
    execFileSync(process.execPath, ["-e", `const S = require("better-sqlite3"); const db = new S(process.argv[1]); db.prepare("INSERT INTO t VALUES (3)").run(); db.close();`, file], { cwd: new URL("..", import.meta.url) });
    expect(probe.changed()).toBe(true);
    expect(probe.changed()).toBe(false);
    other.close();
    writer.close();
    probe.close();
    probe.close();
    expect(probe.changed()).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("commit probe (the wal-index header in the -shm file)", () => {
  it("maps the header with the native helper, which builds wherever a compiler and Node's headers are", async () => {
    // Not built is fine only for want of a compiler, headers or a supported system, or by choice —
    // never because the C code failed to compile.
    if (!nativeStatus.built) return expect(nativeStatus.reason).toMatch(/^(no compiler|no headers|unsupported|opt-out)/);
    expect(fs.existsSync(nativeHelper)).toBe(true);
    const { openCommitProbe } = await import("../src/sqlite/commit-probe.js");
    const probe = openCommitProbe(database.file!)!;
    expect(probe.mode).toBe("mapped");
    probe.close();
  });

  it("reads the file instead of mapping it when TOKENSMITH_NO_NATIVE=1 is set at run time", async () => {
    // A process of its own: the helper is loaded (or not) once, when the module is.
    const probeUrl = new URL("../dist/sqlite/commit-probe.js", import.meta.url).href;
    const script = `import(process.argv[1]).then(({ openCommitProbe }) => { const p = openCommitProbe(process.argv[2]); console.log(p.mode); p.close(); });`;
    const modeWith = (env: Record<string, string>) =>
      execFileSync(process.execPath, ["-e", script, probeUrl, database.file!], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" }).trim();
    expect(modeWith({ TOKENSMITH_NO_NATIVE: "1" })).toBe("read");
    if (nativeStatus.built) expect(modeWith({})).toBe("mapped");
  });

  it("one descriptor per file, shared: closing one opener's handle leaves the others' (and SQLite's locks) alone", async () => {
    const { openCommitProbe } = await import("../src/sqlite/commit-probe.js");
    const shmDescriptors = () =>
      fs.readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === `${fs.realpathSync(database.file!)}-shm`;
        } catch {
          return false;
        }
      }).length;
    const before = shmDescriptors();
    const probe = openCommitProbe(database.file!)!;
    expect(shmDescriptors()).toBe(before);
    probe.close();
    expect(shmDescriptors()).toBe(before);
    // The database's own handle still sees another process's revoke.
    expect((await opened.tokens.authRecord(tokenId))!.revokedAt).toBeNull();
    const other = new Sqlite(database.file!);
    other.prepare(`UPDATE "AccessToken" SET "revokedAt" = ? WHERE "id" = ?`).run(new Date().toISOString(), tokenId);
    other.close();
    expect((await opened.tokens.authRecord(tokenId))!.revokedAt).toBeTypeOf("number");
  });

  it("follows a symbolic link to the file SQLite really uses", async () => {
    const { openCommitProbe } = await import("../src/sqlite/commit-probe.js");
    const link = path.join(path.dirname(database.file!), "link.db");
    fs.symlinkSync(database.file!, link);
    // A stale -shm next to the link (left by a crash before the move) must not be the one watched.
    fs.copyFileSync(`${database.file!}-shm`, `${link}-shm`);
    const probe = openCommitProbe(link)!;
    expect(probe.usable).toBe(true);
    expect(probe.changed()).toBe(false);
    await opened.db.accessToken.update({ where: { id: tokenId }, data: { description: "moved" } });
    expect(probe.changed()).toBe(true);
    probe.close();
  });

  it("a revoke committed by another process is refused on the next read", async () => {
    expect(opened.tokens.authRecord(tokenId)).toBeDefined();
    expect((await opened.tokens.authRecord(tokenId))!.revokedAt).toBeNull();
    const script = `const S = require("better-sqlite3"); const db = new S(process.argv[1]); db.prepare('UPDATE "AccessToken" SET "revokedAt" = ? WHERE "id" = ?').run(new Date().toISOString(), process.argv[2]); db.close();`;
    const { execFileSync } = await import("node:child_process");
    execFileSync(process.execPath, ["-e", script, database.file!, tokenId], { cwd: new URL("..", import.meta.url) });
    expect((await opened.tokens.authRecord(tokenId))!.revokedAt).toBeTypeOf("number");
  });

  it("is not there without a -shm file (the reader then asks PRAGMA data_version)", async () => {
    const { openCommitProbe } = await import("../src/sqlite/commit-probe.js");
    expect(openCommitProbe(`${database.file!}-missing`)).toBeNull();
  });
});
