import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

/** A POST as the dashboard's own pages send it (with this server's Origin) unless headers say otherwise. */
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: "manual" });

async function signIn(): Promise<string> {
  const res = await post("/api/trpc/auth.login", { username: "admin", password: "admin-password-1" });
  expect(res.status).toBe(200);
  // The session, and the device cookie that keeps this browser known (see guess-storm.test.ts).
  const [cookie, device] = res.headers.getSetCookie();
  expect(cookie).toMatch(/^tokensmith_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  expect(device).toMatch(/^tokensmith_device=[\w-]{43}; Path=\/api\/trpc; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
  return cookie!.split(";")[0]!;
}

describe("dashboard over HTTP", () => {
  it("sends signed-out pages to /login and signed-in ones from / and /login to /tokens", async () => {
    for (const path of ["/", "/tokens", "/anything"]) {
      const res = await get(path);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/login");
    }
    const cookie = await signIn();
    expect((await get("/tokens", { cookie })).status).toBe(200);
    for (const path of ["/", "/login"]) {
      const res = await get(path, { cookie });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/tokens");
    }
  });

  it("refuses a cookie-authenticated write from another origin (CSRF)", async () => {
    const cookie = await signIn();
    const body = { description: "csrf", life: "1 hour" };
    const evil = await post("/api/trpc/token.create", body, { cookie, origin: "http://evil.example" });
    expect(evil.status).toBe(403);
    expect(await evil.text()).toContain("Cross-site request refused");
    const crossSiteNoOrigin = await fetch(`${server.url}/api/trpc/token.create`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "sec-fetch-site": "cross-site" },
      body: JSON.stringify(body),
    });
    expect(crossSiteNoOrigin.status).toBe(403);
    const own = await post("/api/trpc/token.create", body, { cookie, origin: server.url });
    expect(own.status).toBe(200);
    const list = await (await get("/api/trpc/token.list", { cookie })).json();
    expect(list.result.data.filter((t: { description: string }) => t.description === "csrf")).toHaveLength(1);
  });

  it("signs out: the cookie is cleared and the session no longer works", async () => {
    const cookie = await signIn();
    const out = await post("/api/trpc/auth.logout", {}, { cookie, origin: server.url });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    expect((await get("/api/trpc/token.list", { cookie })).status).toBe(401);
    expect((await get("/tokens", { cookie })).headers.get("location")).toBe("/login");
  });

  it("rate limits failed sign-ins: the sixth within a minute gets 429, even with the right password", async () => {
    const wrong = { username: "admin", password: "wrong" };
    for (let i = 0; i < 5; i++) {
      const res = await post("/api/trpc/auth.login", wrong);
      expect(res.status).toBe(401);
      expect((await res.json()).error.message).toBe("Invalid username or password");
    }
    const limited = await post("/api/trpc/auth.login", { username: "admin", password: "admin-password-1" });
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toMatch(/Too many failed sign-ins\. Try again in \d+ seconds\./);
  });
});
