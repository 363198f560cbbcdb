import { afterEach, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

const LOADED = "Dashboard renderer (Next.js) loaded";
const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

describe("the dashboard's renderer (Next.js) is loaded on the first page request", () => {
  it("an instance answering only the API never loads it; concurrent first pages share one load", async () => {
    const server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
    running.push(server);
    const admin = basicAuth("admin", "admin-password-1");
    const created = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: admin, body: { jwt_token_description: "api", jwt_token_life: "1 hour" } });
    expect(created.status).toBe(201);
    expect((await request(`${server.url}/v1alpha/token/${created.body.jwt_token_id}`, { auth: `Bearer ${created.body.jwt_token}` })).status).toBe(200);
    expect((await fetch(`${server.url}/.well-known/jwks.json`)).status).toBe(200);
    expect(server.output()).not.toContain(LOADED);

    const pages = await Promise.all(Array.from({ length: 5 }, () => fetch(`${server.url}/login`)));
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await pages[0]!.text()).toContain("<form");
    expect((await fetch(`${server.url}/tokens`, { redirect: "manual" })).status).toBe(302);
    expect(server.output().split(LOADED).length - 1).toBe(1);
  });
});
