import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
  const login = await fetch(`${server.url}/api/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ username: "admin", password: "admin-password-1" }),
  });
  expect(login.status).toBe(200);
  cookie = login.headers.get("set-cookie")!.split(";")[0]!;
});
afterAll(() => server?.stop());

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, redirect: "manual" });

/** "a b; c d e" → { a: ["b"], c: ["d", "e"] } */
function directives(policy: string): Record<string, string[]> {
  const parsed: Record<string, string[]> = {};
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) parsed[name] = sources;
  }
  return parsed;
}

function expectEveryResponseHeaders(res: Response): void {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  // Plain HTTP without TRUST_PROXY: no HSTS.
  expect(res.headers.get("strict-transport-security")).toBeNull();
}

/** The page's policy is complete and strict; returns its nonce. */
function expectPagePolicy(res: Response): string {
  expectEveryResponseHeaders(res);
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  const policy = res.headers.get("content-security-policy") ?? "";
  const csp = directives(policy);
  expect(csp["default-src"]).toEqual(["'self'"]);
  expect(csp["object-src"]).toEqual(["'none'"]);
  expect(csp["base-uri"]).toEqual(["'self'"]);
  expect(csp["form-action"]).toEqual(["'self'"]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  const scripts = csp["script-src"] ?? [];
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(policy).not.toContain("'unsafe-eval'");
  const nonce = /^'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(scripts.find((s) => s.startsWith("'nonce-")) ?? "")?.[1];
  expect(nonce, policy).toBeDefined();
  return nonce!;
}

/** Every <script> on the page, inline or external, carries exactly the header's nonce. */
function expectScriptsCarry(html: string, nonce: string): void {
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(3);
  for (const tag of scripts) expect(tag).toContain(` nonce="${nonce}"`);
}

describe("security headers", () => {
  it("/login: a full CSP whose nonce is on every script, no caching, no framing", async () => {
    const res = await get(`${server.url}/login`);
    expect(res.status).toBe(200);
    const nonce = expectPagePolicy(res);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expectScriptsCarry(await res.text(), nonce);
  });

  it("/tokens signed in: rendered per request, with a different nonce each time", async () => {
    const first = await get(`${server.url}/tokens`, { cookie });
    const second = await get(`${server.url}/tokens`, { cookie });
    expect([first.status, second.status]).toEqual([200, 200]);
    const [nonce1, nonce2] = [expectPagePolicy(first), expectPagePolicy(second)];
    expect(nonce1).not.toBe(nonce2);
    for (const res of [first, second]) {
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(res.headers.get("x-nextjs-cache")).toBeNull();
    }
    expectScriptsCarry(await first.text(), nonce1);
    expectScriptsCarry(await second.text(), nonce2);
  });

  it("a client's own CSP request header cannot choose the nonce", async () => {
    const chosen = "'nonce-AAAAAAAAAAAAAAAAAAAAAA=='";
    const res = await get(`${server.url}/login`, { "content-security-policy": `script-src ${chosen}` });
    const nonce = expectPagePolicy(res);
    expect(nonce).not.toBe("AAAAAAAAAAAAAAAAAAAAAA==");
    expect(await res.text()).not.toContain('nonce="AAAAAAAAAAAAAAAAAAAAAA=="');
  });

  it("redirects: no-store, with the common headers", async () => {
    const res = await get(`${server.url}/tokens`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expectEveryResponseHeaders(res);
  });

  it("Next's static assets: nosniff and still immutable-cacheable", async () => {
    const html = await (await get(`${server.url}/login`)).text();
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const res = await get(`${server.url}${asset}`);
    expect(res.status).toBe(200);
    expectEveryResponseHeaders(res);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("API answers: the common headers, and the API's own Cache-Control", async () => {
    const openApi = await get(`${server.url}/v1alpha/openapi.json`);
    expect(openApi.status).toBe(200);
    expectEveryResponseHeaders(openApi);
    expect(openApi.headers.get("cache-control")).toBe("public, max-age=300");
    for (const path of ["/v1alpha/token/", "/api/trpc/token.list"]) {
      const res = await get(`${server.url}${path}`);
      expect(res.status).toBe(401);
      expectEveryResponseHeaders(res);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    const signedIn = await get(`${server.url}/api/trpc/token.list`, { cookie });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toBe("no-store");
  });

  it("HSTS only over HTTPS: a forged X-Forwarded-Proto counts only with TRUST_PROXY", async () => {
    const forged = await get(`${server.url}/login`, { "x-forwarded-proto": "https" });
    expect(forged.headers.get("strict-transport-security")).toBeNull();
    const behindProxy = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
    try {
      for (const path of ["/login", "/v1alpha/openapi.json", "/tokens"]) {
        const https = await get(`${behindProxy.url}${path}`, { "x-forwarded-proto": "https" });
        expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
        const http = await get(`${behindProxy.url}${path}`, { "x-forwarded-proto": "http" });
        expect(http.headers.get("strict-transport-security")).toBeNull();
      }
    } finally {
      await behindProxy.stop();
    }
  });
});
