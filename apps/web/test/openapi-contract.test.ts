import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, startServer, TEST_FEED_KEY, testDatabase, type RunningServer } from "./support/server.js";
import { call, OpenApiContract } from "./support/openapi-contract.js";
import { AUTHENTICATED, badRequests, headers, jsonBody, openFollowers, SOME_DELIVERY } from "./support/openapi-contract-cases.js";
import type { TestDatabase } from "@tokensmith/testkit";

/**
 * Every route and every status the OpenAPI document names, produced for real and held against the
 * document with ajv: bodies against their schemas, required headers present, no body where none
 * is documented. What no request here produced fails the last test, so the document cannot list
 * a status the server never sends without someone noticing (the database-down 503s are produced
 * by openapi-unavailable.postgres.test.ts, with PostgreSQL stopped).
 */
const ADMIN_PASSWORD = "contract-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let database: TestDatabase;
let server: RunningServer;
let contract: OpenApiContract;
const tokens: Record<"full" | "selfOnly" | "listOnly", { id: string; token: string }> = {} as never;
let webhookId: string;
/** Nothing listens there: deliveries fail quietly in the background, which is not what this tests. */
const WEBHOOK_URL = "http://127.0.0.1:9/hook";

const bearer = (token: string) => `Bearer ${token}`;
const FEED_KEY = { authorization: bearer(TEST_FEED_KEY) };
const at = (path: string) => `${server.url}${path}`;
const exchange = async (method: string, documented: string, path: string, init: RequestInit = {}) =>
  contract.check(method, documented, await call(at(path), { method, ...init }));

async function create(endpoints?: string[], rateLimit?: { requests: number; per: string }): Promise<{ id: string; token: string }> {
  const body = await exchange(
    "POST",
    "/v1alpha/token/",
    "/v1alpha/token/",
    jsonBody(ADMIN, { jwt_token_description: "contract", jwt_token_life: "1 hour", jwt_token_endpoints: endpoints, jwt_token_rate_limit: rateLimit }),
  );
  return { id: body.jwt_token_id, token: body.jwt_token };
}

beforeAll(async () => {
  database = await testDatabase();
  // TRUST_PROXY: the password-guessing requests come "from" an address of their own.
  // Deliveries to WEBHOOK_URL fail for good after a second: a failed one can be redelivered.
  server = await startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD, TRUST_PROXY: "1", WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_RETRY_FOR: "1 second", WEBHOOK_POLL_INTERVAL: "1 second" });
  const served = await call(at("/v1alpha/openapi.json"));
  contract = new OpenApiContract(JSON.parse(served.text));
  contract.check("GET", "/v1alpha/openapi.json", served);
  tokens.full = await create();
  tokens.selfOnly = await create(["GET /v1alpha/token/self"]);
  tokens.listOnly = await create(["GET /v1alpha/token/"]);
  const webhook = await exchange("POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(ADMIN, { url: WEBHOOK_URL, events: ["token.created"] }));
  webhookId = webhook.id;
  const account = await call(at("/api/trpc/serviceAccount.create"), jsonBody(ADMIN, { name: "ci-bot", description: "contract" }));
  expect(account.status).toBe(200);
});
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

const concrete = (path: string, id = path.startsWith("/v1alpha/webhooks/") ? webhookId : tokens.full.id, deliveryId = SOME_DELIVERY) =>
  path.replace("{id}", id).replace("{deliveryId}", deliveryId).replace("{name}", "ci-bot");

describe("the OpenAPI document holds for every route and status", () => {
  it("the document is the running server's: its server is this one", () => {
    const [served] = contract.document.servers;
    expect(new URL(served.url).port).toBe(new URL(server.url).port);
  });

  it("401 without credentials, 403 outside the token's endpoints, 405 with Allow, on every authenticated route", async () => {
    for (const route of AUTHENTICATED) {
      const path = concrete(route.path);
      await exchange(route.method, route.path, path, { headers: headers() });
      await exchange(route.method, route.path, path, { headers: headers(bearer(tokens[route.narrow].token)) });
      const refused = await call(at(path), { method: route.wrongMethod, headers: headers(ADMIN) });
      expect(refused.status, `${route.wrongMethod} ${path}`).toBe(405);
      expect(refused.headers.get("allow")).toContain(route.method);
      // A 405 is documented on the path's operations; check it against one of them.
      contract.check(route.method, route.path, refused);
    }
  });

  it("403 for a write a page on another site sent, 415 for a write whose body is not JSON", async () => {
    for (const route of AUTHENTICATED.filter((r) => r.method !== "GET")) {
      const path = concrete(route.path);
      const crossSite = await exchange(route.method, route.path, path, { headers: headers(ADMIN, { origin: "https://evil.example" }) });
      expect(crossSite.message, `${route.method} ${path}`).toBe("Cross-site request refused");
      await exchange(route.method, route.path, path, { headers: headers(ADMIN, { "content-type": "text/plain" }), body: "{}" });
    }
  });

  it("429 with Retry-After on every authenticated route once a password has been guessed too often", async () => {
    const guess = { authorization: basicAuth("ghost", "wrong"), "x-forwarded-for": "198.51.100.7" };
    for (let i = 0; i < 5; i++) expect((await call(at("/v1alpha/token/"), { headers: guess })).status).toBe(401);
    for (const route of AUTHENTICATED) await exchange(route.method, route.path, concrete(route.path), { method: route.method, headers: guess });
  });

  it("200 and 201 bodies: list, create, get, update, self, usage, rotate, pause, resume, revoke, revoke self", async () => {
    await exchange("GET", "/v1alpha/token/", "/v1alpha/token/", { headers: headers(ADMIN) });
    await exchange("PATCH", "/v1alpha/token/{id}", `/v1alpha/token/${tokens.full.id}`, jsonBody(ADMIN, { jwt_token_description: "contract (renamed)" }, "PATCH"));
    await exchange("GET", "/v1alpha/token/{id}", `/v1alpha/token/${tokens.full.id}`, { headers: headers(bearer(tokens.full.token)) });
    await exchange("GET", "/v1alpha/token/self", "/v1alpha/token/self", { headers: headers(bearer(tokens.full.token)) });
    await exchange("GET", "/v1alpha/token/{id}/usage", `/v1alpha/token/${tokens.full.id}/usage`, { headers: headers(ADMIN) });
    const rotating = await create();
    await exchange("POST", "/v1alpha/token/{id}/rotate", `/v1alpha/token/${rotating.id}/rotate`, jsonBody(ADMIN, { overlap: "1 minute" }));
    await exchange("POST", "/v1alpha/token/{id}/rotate", `/v1alpha/token/${rotating.id}/rotate`, { headers: headers(ADMIN) }); // 409
    const pausing = await create();
    await exchange("POST", "/v1alpha/token/{id}/pause", `/v1alpha/token/${pausing.id}/pause`, { headers: headers(ADMIN) });
    await exchange("POST", "/v1alpha/token/{id}/pause", `/v1alpha/token/${pausing.id}/pause`, { headers: headers(ADMIN) }); // 409
    await exchange("POST", "/v1alpha/token/{id}/resume", `/v1alpha/token/${pausing.id}/resume`, { headers: headers(ADMIN) });
    await exchange("POST", "/v1alpha/token/{id}/resume", `/v1alpha/token/${pausing.id}/resume`, { headers: headers(ADMIN) }); // 409
    const doomed = await create();
    await exchange("DELETE", "/v1alpha/token/{id}", `/v1alpha/token/${doomed.id}`, { headers: headers(ADMIN) });
    const quitter = await create();
    await exchange("DELETE", "/v1alpha/token/self", "/v1alpha/token/self", { headers: headers(bearer(quitter.token)) });
  });

  it("webhooks: 200, 201 and 202 bodies; 403 for scope \"all\" without being an administrator", async () => {
    await exchange("GET", "/v1alpha/webhooks/", "/v1alpha/webhooks/", { headers: headers(ADMIN) });
    await exchange("GET", "/v1alpha/webhooks/{id}", concrete("/v1alpha/webhooks/{id}"), { headers: headers(ADMIN) });
    await exchange("GET", "/v1alpha/webhooks/{id}/deliveries", concrete("/v1alpha/webhooks/{id}/deliveries"), { headers: headers(ADMIN) });
    await exchange("POST", "/v1alpha/webhooks/{id}/test", concrete("/v1alpha/webhooks/{id}/test"), { headers: headers(ADMIN) });
    const doomed = await exchange("POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(ADMIN, { url: WEBHOOK_URL, events: ["token.revoked"] }));
    await exchange("DELETE", "/v1alpha/webhooks/{id}", `/v1alpha/webhooks/${doomed.id}`, { headers: headers(ADMIN) });
    await call(at("/api/trpc/user.create"), jsonBody(ADMIN, { username: "plain", password: "plain-user-password" }));
    const plain = basicAuth("plain", "plain-user-password");
    const refused = await exchange("POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(plain, { url: WEBHOOK_URL, events: ["token.created"], scope: "all" }));
    expect(refused.message).toMatch(/administrators/);
  });

  it("a delivery: 200 with what was sent; redeliver: 202 for a failed one, 409 for one delivered", async () => {
    const receiver = http.createServer((req, res) => req.resume().on("end", () => res.writeHead(204).end()));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const answering = await exchange("POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(ADMIN, { url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`, events: ["token.created"] }));
      await create();
      const settled = async (hook: string, state: string) => {
        for (let i = 0; i < 100; i++) {
          const list = (await call(at(`/v1alpha/webhooks/${hook}/deliveries`), { headers: headers(ADMIN) })).text;
          const found = (JSON.parse(list).deliveries as { id: string; state: string }[]).find((d) => d.state === state);
          if (found) return found.id;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error(`no ${state} delivery`);
      };
      const failed = await settled(webhookId, "failed");
      const delivered = await settled(answering.id, "delivered");
      const detail = "/v1alpha/webhooks/{id}/deliveries/{deliveryId}";
      const redeliver = "/v1alpha/webhooks/{id}/deliveries/{deliveryId}/redeliver";
      await exchange("GET", detail, concrete(detail, webhookId, failed), { headers: headers(ADMIN) });
      await exchange("POST", redeliver, concrete(redeliver, webhookId, failed), { headers: headers(ADMIN) });
      await exchange("POST", redeliver, concrete(redeliver, answering.id, delivered), { headers: headers(ADMIN) });
    } finally {
      receiver.close();
    }
  });

  it("service accounts and token policies: 200 and 201 bodies", async () => {
    await exchange("POST", "/v1alpha/service-accounts/{name}/tokens", concrete("/v1alpha/service-accounts/{name}/tokens"), jsonBody(ADMIN, { jwt_token_description: "ci", jwt_token_life: "1 hour" }));
    await exchange("GET", "/v1alpha/service-accounts/{name}/tokens", concrete("/v1alpha/service-accounts/{name}/tokens"), { headers: headers(ADMIN) });
    await exchange("GET", "/v1alpha/token-policies/effective", "/v1alpha/token-policies/effective?account=ci-bot", { headers: headers(ADMIN) });
    await exchange("GET", "/v1alpha/token-policies/violations", "/v1alpha/token-policies/violations?limit=10", { headers: headers(ADMIN) });
  });

  it("404 for a token the caller does not have", async () => {
    const nobody = "00000000-0000-4000-8000-000000000000";
    for (const [method, path] of [["GET", "/v1alpha/token/{id}"], ["DELETE", "/v1alpha/token/{id}"], ["POST", "/v1alpha/token/{id}/rotate"], ["POST", "/v1alpha/token/{id}/pause"], ["POST", "/v1alpha/token/{id}/resume"], ["GET", "/v1alpha/token/{id}/usage"]] as const) {
      await exchange(method, path, concrete(path, nobody), { headers: headers(ADMIN) });
    }
    await exchange("PATCH", "/v1alpha/token/{id}", concrete("/v1alpha/token/{id}", nobody), jsonBody(ADMIN, { jwt_token_description: "nobody's" }, "PATCH"));
    for (const [method, path] of [["GET", "/v1alpha/webhooks/{id}"], ["DELETE", "/v1alpha/webhooks/{id}"], ["GET", "/v1alpha/webhooks/{id}/deliveries"], ["POST", "/v1alpha/webhooks/{id}/test"]] as const) {
      await exchange(method, path, concrete(path, nobody), { headers: headers(ADMIN) });
    }
    for (const [method, path] of [["GET", "/v1alpha/webhooks/{id}/deliveries/{deliveryId}"], ["POST", "/v1alpha/webhooks/{id}/deliveries/{deliveryId}/redeliver"]] as const) {
      await exchange(method, path, concrete(path, webhookId, nobody), { headers: headers(ADMIN) });
    }
    const noAccount = "/v1alpha/service-accounts/nobody/tokens";
    await exchange("GET", "/v1alpha/service-accounts/{name}/tokens", noAccount, { headers: headers(ADMIN) });
    await exchange("POST", "/v1alpha/service-accounts/{name}/tokens", noAccount, jsonBody(ADMIN, { jwt_token_description: "x", jwt_token_life: "1 hour" }));
    await exchange("GET", "/v1alpha/token-policies/effective", "/v1alpha/token-policies/effective?account=nobody", { headers: headers(ADMIN) });
    await exchange("GET", "/v1alpha/token-policies/violations", "/v1alpha/token-policies/violations?account=nobody", { headers: headers(ADMIN) });
  });

  it("every 400 carries errors: [{field, message}] naming the field (the docs say so)", async () => {
    const cases = badRequests({ admin: ADMIN, concrete, webhookUrl: WEBHOOK_URL });
    for (const [method, documented, path, init, field] of cases) {
      const body = await exchange(method, documented, path, { method, ...init });
      expect(body?.errors, `${method} ${path}`).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
    }
  });

  it("413 for a body over 64 KiB where a body is read", async () => {
    const big = JSON.stringify({ jwt_token_description: "x".repeat(70_000), jwt_token_life: "1 hour" });
    await exchange("POST", "/v1alpha/token/", "/v1alpha/token/", jsonBody(ADMIN, big));
    await exchange("POST", "/v1alpha/token/{id}/rotate", concrete("/v1alpha/token/{id}/rotate"), jsonBody(ADMIN, big));
    await exchange("PATCH", "/v1alpha/token/{id}", concrete("/v1alpha/token/{id}"), jsonBody(ADMIN, big, "PATCH"));
    await exchange("POST", "/v1alpha/introspect", "/v1alpha/introspect", jsonBody(ADMIN, big));
    await exchange("POST", "/v1alpha/revoke", "/v1alpha/revoke", jsonBody(ADMIN, big));
    await exchange("POST", "/v1alpha/credentials/revoke", "/v1alpha/credentials/revoke", jsonBody(undefined, JSON.stringify({ credentials: ["x".repeat(1_100_000)] })));
    await exchange("POST", "/v1alpha/webhooks/", "/v1alpha/webhooks/", jsonBody(ADMIN, big));
    await exchange("POST", "/v1alpha/service-accounts/{name}/tokens", concrete("/v1alpha/service-accounts/{name}/tokens"), jsonBody(ADMIN, big));
  });

  it("revocation: 200 whatever the token; the leaked-token report: one answer, 403, 405, 415, 429", async () => {
    const form = (token: string) => ({ method: "POST", headers: headers(ADMIN, { "content-type": "application/x-www-form-urlencoded" }), body: new URLSearchParams({ token }).toString() });
    expect(await exchange("POST", "/v1alpha/revoke", "/v1alpha/revoke", form((await create()).token))).toEqual({});
    expect(await exchange("POST", "/v1alpha/revoke", "/v1alpha/revoke", form("garbage"))).toEqual({});
    const leak = "/v1alpha/credentials/revoke";
    const from = (address: string, extra: Record<string, string> = {}) => headers(undefined, { "content-type": "application/json", "x-forwarded-for": address, ...extra });
    const report = { credentials: [(await create()).token] };
    await exchange("POST", leak, leak, { headers: from("203.0.113.9"), body: JSON.stringify(report) });
    await exchange("POST", leak, leak, { headers: from("203.0.113.9", { origin: "https://evil.example" }), body: "{}" });
    await exchange("POST", leak, leak, { method: "GET" });
    await exchange("POST", leak, leak, { headers: from("203.0.113.9", { "content-type": "text/plain" }), body: "{}" });
    await Promise.all(Array.from({ length: 10 }, () => call(at(leak), { method: "POST", headers: from("203.0.113.10"), body: JSON.stringify({ credentials: ["x"] }) })));
    await exchange("POST", leak, leak, { headers: from("203.0.113.10"), body: JSON.stringify({ credentials: ["x"] }) });
  });

  it("introspection: active with claims, or exactly {active: false}", async () => {
    const form = (token: string) => ({ method: "POST", headers: headers(ADMIN, { "content-type": "application/x-www-form-urlencoded" }), body: new URLSearchParams({ token }).toString() });
    expect(await exchange("POST", "/v1alpha/introspect", "/v1alpha/introspect", form(tokens.full.token))).toMatchObject({ active: true, jti: tokens.full.id });
    expect(await exchange("POST", "/v1alpha/introspect", "/v1alpha/introspect", form("garbage"))).toEqual({ active: false });
  });

  it("forward auth: 200 with the caller's headers, 401, 403 with the reason", async () => {
    const original = (uri: string) => ({ "x-original-method": "GET", "x-original-uri": uri });
    const ok = await call(at("/v1alpha/forward-auth"), { headers: headers(bearer(tokens.full.token), original("/orders")) });
    contract.check("GET", "/v1alpha/forward-auth", ok);
    expect(ok.headers.get("x-tokensmith-token-id")).toBe(tokens.full.id);
    contract.check("GET", "/v1alpha/forward-auth", await call(at("/v1alpha/forward-auth"), { headers: original("/orders") }));
    // A token that names no audience, where the proxy requires one: 401, with the reason.
    const notFor = await call(at("/v1alpha/forward-auth?audience=urn:example:orders"), { headers: headers(bearer(tokens.full.token), original("/orders")) });
    contract.check("GET", "/v1alpha/forward-auth", notFor);
    expect(notFor.headers.get("x-tokensmith-error")).toBe("the token is not meant for this audience");
    contract.check("GET", "/v1alpha/forward-auth", await call(at("/v1alpha/forward-auth"), { headers: headers(bearer(tokens.selfOnly.token), original("/orders")) }));
    // Over its rate limit, behind a proxy that passes the answer on (X-Forwarded-*): 429.
    const limited = await create(undefined, { requests: 1, per: "1 day" });
    const traefik = { "x-forwarded-method": "GET", "x-forwarded-uri": "/orders" };
    contract.check("GET", "/v1alpha/forward-auth", await call(at("/v1alpha/forward-auth"), { headers: headers(bearer(limited.token), traefik) }));
    const over = await call(at("/v1alpha/forward-auth"), { headers: headers(bearer(limited.token), traefik) });
    expect(over.headers.get("ratelimit")).toMatch(/^"token";r=0;t=\d+$/);
    contract.check("GET", "/v1alpha/forward-auth", over);
  });

  it("public routes: the key set, the metadata, this document; 405 with Allow", async () => {
    const keys = await exchange("GET", "/.well-known/jwks.json", "/.well-known/jwks.json");
    expect(keys.keys.length).toBeGreaterThan(0);
    const metadata = await exchange("GET", "/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server");
    expect(metadata.service_documentation).toMatch(/\/docs$/);
    const oidcPath = await exchange("GET", "/.well-known/openid-configuration", "/.well-known/openid-configuration");
    expect(oidcPath).toEqual(metadata);
    for (const path of ["/.well-known/jwks.json", "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration", "/v1alpha/openapi.json", "/v1alpha/revocations"]) {
      await exchange("GET", path, path, { method: "POST" });
    }
  });

  it("the revocation feed: an event stream for key holders; 401 without a key, 429 past an address's share, 503 past 1,000 followers", async () => {
    const controller = new AbortController();
    const response = await fetch(at("/v1alpha/revocations"), { headers: FEED_KEY, signal: controller.signal });
    contract.check("GET", "/v1alpha/revocations", { status: response.status, headers: response.headers, text: "" });
    controller.abort();
    await exchange("GET", "/v1alpha/revocations", "/v1alpha/revocations");
    // TRUST_PROXY=1: each follower's address is the X-Forwarded-For it comes with; 50 each at most.
    const from = (address: string) => ({ headers: { ...FEED_KEY, "x-forwarded-for": address } });
    const followers = await openFollowers(at("/v1alpha/revocations"), FEED_KEY, 50, "10.0.0.1");
    try {
      await exchange("GET", "/v1alpha/revocations", "/v1alpha/revocations", from("10.0.0.1"));
      for (let i = 2; i <= 20; i++) followers.push(...(await openFollowers(at("/v1alpha/revocations"), FEED_KEY, 50, `10.0.0.${i}`)));
      await exchange("GET", "/v1alpha/revocations", "/v1alpha/revocations", from("10.0.1.1"));
    } finally {
      for (const follower of followers) follower.destroy();
    }
  }, 60_000);

  it("no documented response went unproduced (the database-down 503s: see openapi-unavailable.postgres.test.ts)", () => {
    const databaseDown = (entry: string) => entry.endsWith(" 503") && !entry.includes("/v1alpha/revocations");
    expect(contract.unexercised(databaseDown)).toEqual([]);
  });
});
