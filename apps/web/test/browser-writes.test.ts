import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * A page on another site can make a browser send a form post or a no-cors fetch, with the HTTP
 * Basic credentials the browser has cached for this server. Such a write is refused on REST and
 * tRPC alike (403 for a cross-site Origin or Sec-Fetch-Site, 415 for a body that is not JSON),
 * before the credentials are even checked; curl, SDKs and our own pages go on working.
 */
let server: RunningServer;
const ADMIN = basicAuth("admin", "admin-password-1");
const EVIL = "https://evil.example";

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
});
afterAll(() => server?.stop());

const post = (path: string, headers: Record<string, string>, body?: string, method = "POST") =>
  fetch(`${server.url}${path}`, { method, headers: { authorization: ADMIN, ...headers }, body });
const create = (headers: Record<string, string>, body = JSON.stringify({ jwt_token_description: "csrf?", jwt_token_life: "1 hour" })) =>
  post("/v1alpha/token/", headers, body);
const tokenCount = async () => Object.keys((await request(`${server.url}/v1alpha/token/`, { auth: ADMIN })).body.jwt_tokens).length;

describe("REST writes", () => {
  it("refuses a write whose Origin or Sec-Fetch-Site is another site's, whatever the credentials; creates nothing", async () => {
    const before = await tokenCount();
    const json = { "content-type": "application/json" };
    for (const site of [{ origin: EVIL }, { origin: "null" }, { origin: server.url.replace("127.0.0.1", "localhost") }, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }]) {
      const answer = await create({ ...json, ...site });
      expect([answer.status, await answer.json()], JSON.stringify(site)).toEqual([403, { message: "Cross-site request refused" }]);
    }
    const webhook = await post("/v1alpha/webhooks/", { ...json, origin: EVIL }, JSON.stringify({ url: "https://hooks.example.com/x", events: ["token.created"] }));
    expect(webhook.status).toBe(403);
    expect(await tokenCount()).toBe(before);
    // Our own pages (/docs), and clients that say nothing (curl, SDKs).
    expect((await create({ ...json, origin: server.url })).status).toBe(201);
    expect((await create({ ...json, "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await create(json)).status).toBe(201);
    // Reads are not writes: another site cannot read the answer anyway.
    expect((await fetch(`${server.url}/v1alpha/token/`, { headers: { authorization: ADMIN, origin: EVIL } })).status).toBe(200);
  });

  it("counts no password guess for a cross-site write", async () => {
    for (let i = 0; i < 12; i++) {
      const answer = await fetch(`${server.url}/v1alpha/token/`, { method: "POST", headers: { authorization: basicAuth("admin", `guess-${i}`), origin: EVIL, "content-type": "text/plain" }, body: "{}" });
      expect(answer.status).toBe(403);
    }
    expect((await request(`${server.url}/v1alpha/token/`, { auth: ADMIN })).status).toBe(200);
  });

  it.each([
    ["text/plain", 415],
    ["text/plain;charset=UTF-8", 415],
    ["application/x-www-form-urlencoded", 415],
    ["multipart/form-data; boundary=x", 415],
    ["application/jsonx", 415],
    ["application/json-patch+json", 415],
    ["application/json; charset=iso-8859-1", 415],
    ["text/plain; application/json", 415],
    ["application/json", 201],
    ["application/json; charset=utf-8", 201],
    ['APPLICATION/JSON;Charset="UTF-8"', 201],
  ])("a create with Content-Type %j: %i", async (type, status) => {
    const answer = await create({ "content-type": type });
    expect(answer.status).toBe(status);
    if (status === 415) {
      expect(answer.headers.get("accept")).toBe("application/json");
      expect((await answer.json()).message).toMatch(/application\/json|UTF-8/);
    }
  });

  it("a body must say what it is; a write without a body needs no Content-Type", async () => {
    expect((await create({})).status).toBe(415);
    const { body: made } = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "x", jwt_token_life: "1 hour" } });
    const rotated = await post(`/v1alpha/token/${made.jwt_token_id}/rotate`, {});
    expect(rotated.status).toBe(201);
    const replacement = ((await rotated.json()) as { jwt_token_id: string }).jwt_token_id;
    expect((await post(`/v1alpha/token/${replacement}`, { "content-type": "text/plain" }, "", "DELETE")).status).toBe(415);
    expect((await post(`/v1alpha/token/${replacement}`, {}, undefined, "DELETE")).status).toBe(200);
  });

  it("introspection keeps its form encoding (and JSON), and nothing else", async () => {
    const { body: made } = await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "x", jwt_token_life: "1 hour" } });
    const form = await post("/v1alpha/introspect", { "content-type": "application/x-www-form-urlencoded" }, `token=${made.jwt_token}`);
    expect(await form.json()).toMatchObject({ active: true, jti: made.jwt_token_id });
    const json = await post("/v1alpha/introspect", { "content-type": "application/json" }, JSON.stringify({ token: made.jwt_token }));
    expect(await json.json()).toMatchObject({ active: true });
    const plain = await post("/v1alpha/introspect", { "content-type": "text/plain" }, `token=${made.jwt_token}`);
    expect([plain.status, plain.headers.get("accept")]).toEqual([415, "application/x-www-form-urlencoded, application/json"]);
    expect((await post("/v1alpha/introspect", {}, `token=${made.jwt_token}`)).status).toBe(415);
    expect((await post("/v1alpha/introspect", { "content-type": "application/x-www-form-urlencoded", origin: EVIL }, `token=${made.jwt_token}`)).status).toBe(403);
  });
});

describe("tRPC writes with Basic credentials a browser cached", () => {
  it("refuses a cross-site form post and a form body, so a no-input mutation cannot be fired from another site", async () => {
    const keys = async () => (await request(`${server.url}/api/trpc/keys.list`, { auth: ADMIN })).body.result.data.length;
    const before = await keys();
    const form = { "content-type": "multipart/form-data; boundary=x" };
    const crossSite = await post("/api/trpc/keys.rotate", { ...form, origin: EVIL }, "--x--\r\n");
    expect([crossSite.status, (await crossSite.json()).error.message]).toEqual([403, "Cross-site request refused"]);
    const noOrigin = await post("/api/trpc/keys.rotate", form, "--x--\r\n");
    expect([noOrigin.status, (await noOrigin.json()).error.data.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    expect(await keys()).toBe(before);
    // The typed client and the dashboard send JSON.
    expect((await post("/api/trpc/keys.rotate", { "content-type": "application/json", origin: server.url })).status).toBe(200);
    expect(await keys()).toBe(before + 1);
  });
});
