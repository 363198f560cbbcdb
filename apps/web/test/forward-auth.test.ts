import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDERS_ONLY_ESCAPES, startNginx, type Nginx } from "@tokensmith/testkit";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { shippedProxyConfig } from "./support/shipped-proxy.js";

/**
 * An API with no code of its own for tokens, behind a real nginx that asks Tokensmith first —
 * with the configuration the docs show (deploy/nginx/forward-auth.conf), ports filled in.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
let tokensmith: RunningServer;
let api: http.Server;
let nginx: Nginx;
let nginxPassingHeaders: Nginx;
const seen: { method: string; url: string; user: string | undefined; userId: string | undefined; authorization: string[] }[] = [];

beforeAll(async () => {
  tokensmith = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
  api = http.createServer((req, res) => {
    const authorization = req.rawHeaders.filter((_, i) => i % 2 === 1 && req.rawHeaders[i - 1]!.toLowerCase() === "authorization");
    seen.push({ method: req.method!, url: req.url!, user: req.headers["x-tokensmith-user"] as string, userId: req.headers["x-tokensmith-user-id"] as string, authorization });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const config = shippedProxyConfig("nginx", { tokensmith: new URL(tokensmith.url).host, api: `127.0.0.1:${(api.address() as AddressInfo).port}` });
  nginx = await startNginx(config);
  // The configuration as shipped before, which passed the client's own headers on to Tokensmith.
  const passing = config.replace(/\n *proxy_pass_request_headers off;\n *proxy_set_header Authorization \$http_authorization;/, "");
  expect(passing).not.toBe(config);
  nginxPassingHeaders = await startNginx(passing);
});
afterAll(async () => {
  nginx?.stop();
  nginxPassingHeaders?.stop();
  api?.close();
  await tokensmith?.stop();
});

async function token(endpoints?: string[], limits: Record<string, unknown> = {}) {
  const res = await request(`${tokensmith.url}/v1alpha/token/`, {
    method: "POST",
    auth: ADMIN,
    body: { jwt_token_description: "api client", jwt_token_life: "1 hour", ...(endpoints ? { jwt_token_endpoints: endpoints } : {}), ...limits },
  });
  return res.body as { jwt_token: string; jwt_token_id: string };
}
const call = (path: string, auth?: string, method = "GET") => fetch(`${nginx.url}${path}`, { method, headers: auth ? { authorization: auth } : {} });
/** The path sent byte for byte (fetch would resolve `..` and `%2e%2e` before sending). */
const rawCall = (path: string, auth: string, method = "GET", headers: [string, string][] = [], via = nginx) =>
  rawRequest(via.url, buildRequest(`${method} ${path} HTTP/1.1`, [["Authorization", auth], ...headers]));

describe("an API behind nginx, protected by Tokensmith", () => {
  it("no token: 401 with the Bearer challenge, and the API never sees the request", async () => {
    const before = seen.length;
    const res = await call("/api/orders/1");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="tokensmith"');
    expect((await call("/api/orders/1", "Bearer not-a-token")).status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it("a valid token reaches the API, which sees who is calling", async () => {
    const { jwt_token } = await token();
    const res = await call("/api/orders/42?expand=items", `Bearer ${jwt_token}`, "POST");
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/api/orders/42?expand=items", user: "admin", userId: expect.any(String) });
  });

  it("a token limited to GET /api/orders/* is refused elsewhere, however the path is dressed up", async () => {
    const { jwt_token } = await token(["GET /api/orders/*"]);
    const bearer = `Bearer ${jwt_token}`;
    expect((await call("/api/orders/1", bearer)).status).toBe(200);
    const before = seen.length;
    for (const [path, method] of [
      ["/api/users/1", "GET"],
      ["/api/orders/1", "POST"],
      ["/api/orders/%2e%2e/users/1", "GET"],
      ["/api/orders/%2E%2E/%2e%2e/api/users/1", "GET"],
      ["/api/orders/..%2fusers/1", "GET"],
      ["/api/orders/..%5cusers/1", "GET"],
      ["//api/users/1", "GET"],
      // A fragment nginx passes on (Express routes on it, a server that resolves `..` after it
      // would reach /api/users/1), and a fullwidth ．． sent as raw UTF-8 bytes.
      ["/api/orders/1#/../../users/1", "GET"],
      ["/api/orders/\uFF0E\uFF0E/users/1", "GET"],
      ...ORDERS_ONLY_ESCAPES.map((path) => [path, "GET"] as const),
    ] as const) {
      const res = await rawCall(path, bearer, method);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.headers["www-authenticate"]).toContain('error="insufficient_scope"');
    }
    expect(seen.length).toBe(before);
  });

  it("a path with characters no header may carry is refused with a 403, not a 500", async () => {
    const { jwt_token } = await token(["GET /api/orders/*"]);
    // Tokensmith names the refused path in X-Tokensmith-Error: `€` must be escaped there.
    const res = await rawCall("/api/%E2%82%AC/1", `Bearer ${jwt_token}`);
    expect(res.status).toBe(403);
    expect((await rawCall("/api/orders/%E2%82%AC", `Bearer ${jwt_token}`)).status).toBe(200);
  });

  it("a client's own X-Forwarded-Method/-Uri cannot name another request (the attack of issue 27 behind nginx)", async () => {
    const { jwt_token } = await token(["GET /api/orders/*"]);
    const bearer = `Bearer ${jwt_token}`;
    const before = seen.length;
    const forged: [string, string][] = [
      ["X-Forwarded-Method", "GET"],
      ["X-Forwarded-Uri", "/api/orders/1"],
    ];
    for (const via of [nginx, nginxPassingHeaders]) {
      expect((await rawCall("/api/users/1", bearer, "DELETE", forged, via)).status).toBe(403);
      expect((await rawCall("/api/users/1", bearer, "DELETE", [...forged, ["X-Original-Method", "GET"], ["X-Original-URI", "/api/orders/1"]], via)).status).toBe(403);
    }
    // An nginx that passes the client's headers on: Tokensmith gets both sets, and refuses them.
    const mismatch = await rawCall("/api/users/1", bearer, "DELETE", forged, nginxPassingHeaders);
    expect(mismatch.status).toBe(403);
    expect(mismatch.headers["www-authenticate"]).toContain('error="insufficient_scope"');
    expect(seen.length).toBe(before);
    // The honest request passes with any such header: nginx does not pass the client's headers on
    // to Tokensmith, and the API sees the user Tokensmith named, not one the client sent.
    const honest = await rawCall("/api/orders/1", bearer, "GET", [["X-Forwarded-Uri", "/api/elsewhere"], ["X-Forwarded-Method", "DELETE"], ["X-Tokensmith-User", "root"]]);
    expect(honest.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/api/orders/1", user: "admin" });
    expect((await rawCall("/api/orders/1", bearer, "GET", [["X-Forwarded-Uri", "/api/elsewhere"]], nginxPassingHeaders)).status).toBe(403);
  });

  it("a second Authorization header never reaches the API (nginx refuses it itself)", async () => {
    const { jwt_token } = await token(["GET /api/orders/*"]);
    const before = seen.length;
    const res = await rawCall("/api/orders/1", `Bearer ${jwt_token}`, "GET", [["Authorization", "Bearer someone-elses"]]);
    expect(res.status).toBe(400);
    expect(seen.length).toBe(before);
    expect((await rawCall("/api/orders/1", `Bearer ${jwt_token}`)).status).toBe(200);
    expect(seen.at(-1)?.authorization).toEqual([`Bearer ${jwt_token}`]);
  });

  it("a revoked token is refused on the very next request", async () => {
    const { jwt_token, jwt_token_id } = await token();
    const bearer = `Bearer ${jwt_token}`;
    expect((await call("/api/orders/1", bearer)).status).toBe(200);
    expect((await request(`${tokensmith.url}/v1alpha/token/${jwt_token_id}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
    const res = await call("/api/orders/1", bearer);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("a token over its rate limit gets nginx's 429 with Retry-After and the RateLimit headers", async () => {
    const limited = await token(undefined, { jwt_token_rate_limit: { requests: 2, per: "1 day" } });
    const before = seen.length;
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call("/api/orders", `Bearer ${limited.jwt_token}`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[0]!.headers.get("ratelimit")).toMatch(/^"token";r=1;t=\d+$/);
    expect(answers[2]!.headers.get("ratelimit")).toMatch(/^"token";r=0;t=\d+$/);
    expect(answers[2]!.headers.get("ratelimit-policy")).toBe('"token";q=2;w=86400');
    expect(answers[2]!.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(answers[2]!.headers.get("www-authenticate")).toBeNull();
    expect(seen.length - before).toBe(2);
  });

  it("a token with an allowlist passes from the caller's address nginx passes on, and only from there", async () => {
    const here = await token(undefined, { jwt_token_allowed_ips: ["127.0.0.0/8"] });
    expect((await call("/api/orders", `Bearer ${here.jwt_token}`)).status).toBe(200);
    const elsewhere = await token(undefined, { jwt_token_allowed_ips: ["203.0.113.0/24"] });
    // A forged X-Forwarded-For from the client changes nothing: nginx sets it from the connection.
    const refused = await fetch(`${nginx.url}/api/orders`, { headers: { authorization: `Bearer ${elsewhere.jwt_token}`, "x-forwarded-for": "203.0.113.5" } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain("insufficient_scope");
  });
});
