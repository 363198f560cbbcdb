import type { TestDatabase } from "@tokensmith/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { sql, sqlDate } from "./support/sql.js";

let server: RunningServer;
let database: TestDatabase;
const admin = basicAuth("admin", "admin-password-1");

beforeAll(async () => {
  database = await testDatabase();
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

async function newToken() {
  const res = await request(`${server.url}/v1alpha/token/`, {
    method: "POST",
    auth: admin,
    body: { jwt_token_description: "under load", jwt_token_life: "1 hour" },
  });
  return res.body as { jwt_token: string; jwt_token_id: string };
}

describe("revocation with the read cache in place", () => {
  it("takes effect on the very next request while load runs", async () => {
    const token = await newToken();
    const url = `${server.url}/v1alpha/token/${token.jwt_token_id}`;
    const auth = `Bearer ${token.jwt_token}`;
    let revokedAt = Infinity;
    const afterRevoke: number[] = [];
    let stop = false;
    // 16 clients hammering the token; each notes the status of requests it started after the revoke returned.
    const clients = Array.from({ length: 16 }, async () => {
      let ok = 0;
      while (!stop) {
        const startedAt = performance.now();
        const res = await request(url, { auth });
        if (startedAt > revokedAt) afterRevoke.push(res.status);
        else if (res.status === 200) ok++;
      }
      return ok;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const deleted = await request(url, { method: "DELETE", auth: admin });
    expect(deleted.status).toBe(200);
    revokedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    const okBefore = (await Promise.all(clients)).reduce((a, b) => a + b, 0);
    expect(okBefore).toBeGreaterThan(50);
    expect(afterRevoke.length).toBeGreaterThan(50);
    expect(new Set(afterRevoke)).toEqual(new Set([401]));
  });

  it("takes effect when another process revokes straight in the database (a hand-written UPDATE)", async () => {
    const token = await newToken();
    const auth = `Bearer ${token.jwt_token}`;
    for (let i = 0; i < 20; i++) expect((await request(`${server.url}/v1alpha/token/`, { auth })).status).toBe(200);
    // No Tokensmith code involved: on PostgreSQL the table's trigger is what tells the server, and
    // sql() returns once the server has acknowledged a notification sent after the commit.
    await sql(database, `UPDATE "AccessToken" SET "revokedAt" = ? WHERE "id" = ?`, [sqlDate(database, Date.now()), token.jwt_token_id]);
    expect((await request(`${server.url}/v1alpha/token/`, { auth })).status).toBe(401);
  });
});
