import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKind } from "@tokensmith/testkit";
import { request, startServer, testDatabase, type RunningServer } from "./support/server.js";

// /healthz/live and /healthz/ready, and Specter's /api/healthz/liveness and /api/healthz/readyness.
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "health-admin-password" });
}, 60_000);
afterAll(() => server?.stop());

describe("health", () => {
  it("/healthz/live answers 200 without credentials and says nothing more", async () => {
    const live = await request(`${server.url}/healthz/live`);
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: "alive" });
    expect(live.headers.get("cache-control")).toBe("no-store");
  });

  it("/healthz/ready names each check: database, migrations, signing keys (and PostgreSQL's listener)", async () => {
    const ready = await request(`${server.url}/healthz/ready`);
    expect(ready.status).toBe(200);
    const checks = { database: "ok", migrations: "ok", signing_keys: "ok", ...(testDatabaseKind() === "postgres" ? { change_listener: "ok" } : {}) };
    expect(ready.body).toEqual({ status: "ready", checks });
    // Nothing about versions, hosts, database URLs or errors.
    expect(ready.text).not.toMatch(/postgres|sqlite|tokensmith\.db|127\.0\.0\.1|version/i);
  });

  it("answers Specter's probes as Specter does, at its /api mount", async () => {
    const live = await request(`${server.url}/api/healthz/liveness`);
    expect([live.status, live.body]).toEqual([200, { message: "i am alive" }]);
    const ready = await request(`${server.url}/api/healthz/readyness`);
    expect([ready.status, ready.body]).toEqual([200, { message: "i am ready" }]);
    expect(ready.headers.get("content-type")).toBe("application/json; charset=utf-8");
  });

  it("takes GET and HEAD only; other spellings are not probes", async () => {
    for (const path of ["/healthz/live", "/healthz/ready"]) {
      const posted = await request(`${server.url}${path}`, { method: "POST" });
      expect([posted.status, posted.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
      expect((await fetch(`${server.url}${path}`, { method: "HEAD" })).status).toBe(200);
    }
    const specter = await request(`${server.url}/api/healthz/readyness`, { method: "DELETE" });
    expect([specter.status, specter.body]).toEqual([405, { message: "The method is not allowed for the requested URL." }]);
    // The correct spelling is Specter's misspelling; neither the fix nor a trailing slash is a probe.
    for (const path of ["/api/healthz/readiness", "/healthz/ready/", "/healthz/"]) {
      expect((await fetch(`${server.url}${path}`, { redirect: "manual" })).status, path).not.toBe(200);
    }
  });

  it("a flood of probes costs the database one check a second: 300 at once are answered alike, quickly", async () => {
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 300 }, () => request(`${server.url}/healthz/ready`)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    // Not a speed target: 300 database round trips on SQLite's write gate would show as seconds.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
