import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * A use-limited token raced across two server processes on one PostgreSQL: the conditional UPDATE
 * lets exactly as many requests through as uses were left, wherever they land.
 */
const ADMIN = basicAuth("admin", "uses-instances-password");
let database: TestDatabase;
let instances: RunningServer[];

beforeAll(async () => {
  database = await testDatabase();
  instances = await Promise.all([1, 2].map(() => startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "uses-instances-password" })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((s) => s.stop()));
  await database?.drop();
});

describe("use-limited tokens on two instances", () => {
  it("40 requests split over two processes at the last 7 uses: exactly 7 pass", async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const created = await request(`${a.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "raced", jwt_token_life: "1 hour", jwt_token_max_uses: 10 } });
    const bearer = `Bearer ${created.body.jwt_token}`;
    // Three uses first, one on each side and one more: both caches hold the row when the race starts.
    for (const s of [a, b, a]) expect((await request(`${s.url}/v1alpha/token/self`, { auth: bearer })).status).toBe(200);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => request(`${instances[i % 2]!.url}/v1alpha/token/self`, { auth: bearer }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(7);
    expect(statuses.filter((s) => s === 401)).toHaveLength(33);
    const shown = await request(`${b.url}/v1alpha/token/${created.body.jwt_token_id}`, { auth: ADMIN });
    expect(shown.body.uses_remaining).toBe(0);
  });
});
