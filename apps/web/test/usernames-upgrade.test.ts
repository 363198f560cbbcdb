import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@tokensmith/core";
import { SESSION_COOKIE } from "@tokensmith/api";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { sql, sqlDate } from "./support/sql.js";
import { migrateUntil } from "./support/migrate-until.js";

/**
 * A database of the release before names were unique regardless of case, holding "admin",
 * "ADMIN" and "Admin": the upgrade starts, the oldest keeps the name, each later one is renamed
 * (name + "." + the start of its id) and told in the audit log, and each keeps its password and
 * sessions. On SQLite and PostgreSQL alike.
 */
const FIRST_NEW_MIGRATION = "20261206000000_username_case";
let database: TestDatabase;
let server: RunningServer;
const t0 = Date.now() - 86_400_000;
const people = {
  admin: { id: randomUUID(), password: "admin-password-1", isAdmin: true, at: t0 },
  ADMIN: { id: randomUUID(), password: "impostor-password-1", isAdmin: false, at: t0 + 1000 },
  Admin: { id: randomUUID(), password: "third-password-1", isAdmin: false, at: t0 + 2000 },
  carol: { id: randomUUID(), password: "carol-password-1", isAdmin: false, at: t0 + 3000 },
};
const renamed = (name: "ADMIN" | "Admin") => `${name}.${people[name].id.slice(0, 8)}`;
const SESSION = "a-session-cookie-value-of-the-previous-release";
const start = () => startServer({ DATABASE_URL: database.url });
const login = (username: string, password: string) =>
  fetch(`${server.url}/api/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json", origin: server.url }, body: JSON.stringify({ username, password }) });

beforeAll(async () => {
  database = await testDatabase();
  await migrateUntil(database, FIRST_NEW_MIGRATION);
  for (const [username, person] of Object.entries(people)) {
    await sql(database, `INSERT INTO "User" ("id", "username", "passwordHash", "isAdmin", "createdAt") VALUES (?, ?, ?, ?, ?)`, [
      person.id,
      username,
      await hashPassword(person.password),
      database.kind === "sqlite" ? Number(person.isAdmin) : person.isAdmin,
      sqlDate(database, person.at),
    ]);
  }
  await sql(database, `INSERT INTO "Session" ("id", "userId", "createdAt", "expiresAt") VALUES (?, ?, ?, ?)`, [
    createHash("sha256").update(SESSION).digest("hex"),
    people.ADMIN.id,
    sqlDate(database, Date.now()),
    sqlDate(database, Date.now() + 86_400_000),
  ]);
  server = await start();
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe("upgrading a database that holds names differing only in case", () => {
  it("starts; the oldest keeps the name, the later ones are renamed and keep their ids", async () => {
    const listed = await request(`${server.url}/api/trpc/user.list`, { auth: basicAuth("admin", people.admin.password) });
    const names = listed.body.result.data.map((u: { id: string; username: string }) => [u.username, u.id]).sort();
    expect(names).toEqual(
      [
        [renamed("ADMIN"), people.ADMIN.id],
        [renamed("Admin"), people.Admin.id],
        ["admin", people.admin.id],
        ["carol", people.carol.id],
      ].sort(),
    );
  });

  it("any case of the kept name is its owner; each renamed user signs in with its new name and its own password", async () => {
    const asAdmin = await login("ADMIN", people.admin.password);
    expect((await asAdmin.json()).result.data).toEqual({ username: "admin", isAdmin: true });
    expect((await login("ADMIN", people.ADMIN.password)).status).toBe(401);
    const impostor = await login(renamed("ADMIN").toLowerCase(), people.ADMIN.password);
    expect((await impostor.json()).result.data).toEqual({ username: renamed("ADMIN"), isAdmin: false });
    expect((await login(renamed("Admin"), people.Admin.password)).status).toBe(200);
  });

  it("keeps a renamed user's sessions", async () => {
    const me = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie: `${SESSION_COOKIE}=${SESSION}` } });
    expect((await me.json()).result.data).toMatchObject({ username: renamed("ADMIN") });
  });

  it("writes each rename to the audit log, and keeps the rule from then on (also after a restart)", async () => {
    const admin = basicAuth("admin", people.admin.password);
    const audit = await request(`${server.url}/api/trpc/audit.list?input=${encodeURIComponent(JSON.stringify({ action: "user.rename" }))}`, { auth: admin });
    const renames = audit.body.result.data.events.map((e: { username: string; detail: unknown }) => e.detail).sort((a: { from: string }, b: { from: string }) => (a.from < b.from ? -1 : 1));
    expect(renames).toEqual([
      { from: "ADMIN", to: renamed("ADMIN"), reason: "another user has this name in another case" },
      { from: "Admin", to: renamed("Admin"), reason: "another user has this name in another case" },
    ]);
    expect((await request(`${server.url}/api/trpc/user.create`, { method: "POST", auth: admin, body: { username: "aDmIn", password: "yet-another-pw-1" } })).status).toBe(409);
    await server.stop();
    server = await start();
    expect((await login("Admin", people.admin.password)).status).toBe(200);
  });
});
