import type { TestDatabase } from "@tokensmith/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

// Two instances on one database: A serves the user, B changes and deletes them (another process,
// as another instance or worker would). A logs a numbered line for each full password hash.
let a: RunningServer;
let b: RunningServer;
let database: TestDatabase;
const admin = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  database = await testDatabase();
  const env = { DATABASE_URL: database.url, ADMIN_PASSWORD: "admin-password-1" };
  a = await startServer({ ...env, LOG_PASSWORD_HASHES: "1" });
  b = await startServer(env);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

const trpc = (server: RunningServer, procedure: string, input: unknown) =>
  request(`${server.url}/api/trpc/${procedure}`, { method: "POST", auth: admin, body: input });
const list = (user: string, password: string) => request(`${a.url}/v1alpha/token/`, { auth: basicAuth(user, password) });

/**
 * How many full hashes A has made so far, from its numbered log lines. A writes a line before it
 * answers, so by the time a response is here the line is in the pipe: one turn of the event loop
 * reads it (the pause gives that turn; nothing is timed).
 */
/** The server's count of full password hashes so far, once its log has settled (it is written asynchronously). */
async function fullHashes(): Promise<number> {
  const read = () => Math.max(0, ...[...a.output().matchAll(/\[auth\] basic: full password hash #(\d+)/g)].map((m) => Number(m[1])));
  let last = -1;
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = read();
    if (now === last) return now;
    last = now;
  }
  return last;
}

async function createUser(username: string, password: string) {
  expect((await trpc(b, "user.create", { username, password, isAdmin: false })).status).toBe(200);
}

describe("the HTTP Basic success cache", () => {
  it("lets the same right credentials skip the full hash after the first check", async () => {
    await createUser("alice", "alice-password-1");
    const start = await fullHashes();
    for (let i = 0; i < 5; i++) expect((await list("alice", "alice-password-1")).status).toBe(200);
    expect((await fullHashes()) - start).toBe(1);
    // No secret in the log: neither the password nor the username.
    expect(a.output()).not.toContain("alice-password-1");
    expect(a.output()).not.toMatch(/\[auth\].*alice/);
  });

  it("refuses the old password on the very next request after a change made by another instance", async () => {
    await createUser("carol", "carol-password-1");
    expect((await list("carol", "carol-password-1")).status).toBe(200);
    expect((await list("carol", "carol-password-1")).status).toBe(200);
    expect((await trpc(b, "user.resetPassword", { username: "carol", password: "carol-password-2" })).status).toBe(200);
    expect((await list("carol", "carol-password-1")).status).toBe(401);
    expect((await list("carol", "carol-password-2")).status).toBe(200);
  });

  it("refuses a deleted user on the very next request", async () => {
    await createUser("dave", "dave-password-1");
    expect((await list("dave", "dave-password-1")).status).toBe(200);
    expect((await list("dave", "dave-password-1")).status).toBe(200);
    expect((await trpc(b, "user.remove", { username: "dave" })).status).toBe(200);
    expect((await list("dave", "dave-password-1")).status).toBe(401);
  });

  it("still counts wrong passwords, each fully hashed, and locks the right one out with them", async () => {
    await createUser("erin", "erin-password-1");
    expect((await list("erin", "erin-password-1")).status).toBe(200);
    const start = await fullHashes();
    for (let i = 0; i < 5; i++) expect((await list("erin", `wrong-${i}`)).status).toBe(401);
    expect((await fullHashes()) - start).toBe(5);
    // Over the limit for this user and address: refused before any check, cached or not.
    const locked = await list("erin", "erin-password-1");
    expect(locked.status).toBe(429);
    expect(locked.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
