import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { startServer, testDatabase, type RunningServer } from "./support/server.js";

let server: RunningServer;
let cookie: string;
/** Sockets that stop mid-headers, or never send a byte: opened first, checked last (headersTimeout). */
let slowSockets: SlowSocket[] = [];
let brokenUpgradeBody: SlowSocket;
type SlowSocket = ReturnType<typeof openSlowSocket>;

function openSlowSocket(url: string, bytes: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname, () => bytes && socket.write(bytes));
  socket.on("error", () => {});
  socket.on("data", () => {});
  return { opened: Date.now(), closed: new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now()))) };
}

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1" });
  slowSockets = [openSlowSocket(server.url, ""), openSlowSocket(server.url, "GET /tokens HTTP/1.1\r\nHost: x\r\nX-Slow: ")];
  // Upgrade headers make Node's parser swallow the broken chunk size: without a guard it waits 30 s.
  brokenUpgradeBody = openSlowSocket(
    server.url,
    "POST /api/trpc/auth.login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\nContent-Type: application/json\r\n" +
      "Upgrade: websocket\r\nConnection: Upgrade\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
  );
  const login = await fetch(`${server.url}/api/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ username: "admin", password: "admin-password-1" }),
  });
  cookie = login.headers.get("set-cookie")!.split(";")[0]!;
});
afterAll(() => server?.stop());

const raw = (requestLine: string, headers: [string, string][] = [], body = "") =>
  rawRequest(server.url, buildRequest(requestLine, headers, body));
const asAdmin = (): [string, string][] => [["Cookie", cookie]];

describe("methods", () => {
  it("405 with Allow on every route family", async () => {
    const cases: [string, string, string, [string, string][]][] = [
      ["DELETE", "/tokens", "GET, HEAD", asAdmin()],
      ["DELETE", "/tokens", "GET, HEAD", []],
      ["OPTIONS", "/", "GET, HEAD", []],
      ["PUT", "/login", "GET, HEAD, POST", []],
      ["TRACE", "/activity", "GET, HEAD", asAdmin()],
      ["POST", "/_next/static/chunks/app.js", "GET, HEAD", []],
      ["DELETE", "/favicon.ico", "GET, HEAD", []],
      ["DELETE", "/v1alpha/openapi.json", "GET, HEAD", []],
      ["PATCH", "/v1alpha/token/", "GET, HEAD, POST", []],
      ["TRACE", "/api/trpc/token.list", "GET, HEAD, POST", []],
    ];
    for (const [method, path, allow, headers] of cases) {
      const res = await raw(`${method} ${path} HTTP/1.1`, [...headers, ["Content-Length", "0"]]);
      expect([method, path, res.status, res.headers.allow]).toEqual([method, path, 405, allow]);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
    }
    const connect = await rawRequest(server.url, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    expect([connect.status, connect.headers.allow]).toEqual([405, "GET, HEAD"]);
  });

  it("POST /login (the form's no-JS fallback) is sent back to /login, credentials unread", async () => {
    const form = "username=admin&password=admin-password-1";
    const res = await raw("POST /login HTTP/1.1", [["Content-Type", "application/x-www-form-urlencoded"], ["Content-Length", String(form.length)]], form);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});

describe("request targets", () => {
  it("absolute-form is reduced to its path: served, never redirected to the foreign host", async () => {
    const page = await raw("GET http://evil.example/tokens HTTP/1.1", asAdmin());
    expect(page.status).toBe(200);
    expect(page.body).toContain("<title>Tokens · Tokensmith</title>");
    const api = await raw("GET http://evil.example/v1alpha/openapi.json HTTP/1.1");
    expect(api.status).toBe(200);
    const signedOut = await raw("GET https://evil.example/ HTTP/1.1");
    expect([signedOut.status, signedOut.headers.location]).toEqual([302, "/login"]);
  });

  it("'*', authority-form and '//host' are 400, with no redirect anywhere", async () => {
    for (const line of ["GET * HTTP/1.1", "OPTIONS * HTTP/1.1", "GET example.com:80 HTTP/1.1", "GET //evil.example/ HTTP/1.1", "GET //evil.example/tokens HTTP/1.1"]) {
      const res = await raw(line, asAdmin());
      expect([line, res.status, res.headers.location]).toEqual([line, 400, undefined]);
      expect(res.body).not.toMatch(/Error|at .*\.js/);
    }
  });

  it("no way past page gating through /_next: dot segments, raw or encoded, are refused", async () => {
    const tries = ["/_next/../tokens", "/_next/%2e%2e/tokens", "/_next/.%2E/users", "/_next/static/../../activity", "/_next/./../tokens", "/_next\\..\\tokens", "/favicon.ico/../tokens"];
    for (const path of tries) {
      const res = await raw(`GET ${path} HTTP/1.1`);
      expect([path, res.status]).toEqual([path, 400]);
    }
    for (const path of ["/_next/%2e%2e%2ftokens", "/_next/%252e%252e/tokens", "/_next/static/chunks/..%2f..%2f..%2ftokens"]) {
      const res = await raw(`GET ${path} HTTP/1.1`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).not.toContain("Tokens · Tokensmith");
    }
  });

  it("bad percent-encoding is a 4xx, never a 500", async () => {
    for (const path of ["/tokens/%ZZ", "/%ZZ", "/%", "/tokens?x=%ZZ%", "/_next/static/%ZZ", "/_next/..%uD800..%ZZ", "/v1alpha/token/%ZZ", "/api/trpc/%ZZ"]) {
      const res = await raw(`GET ${path} HTTP/1.1`, asAdmin());
      expect([path, res.status! >= 200 && res.status! < 500]).toEqual([path, true]);
    }
    const badCookie = await raw("GET /tokens HTTP/1.1", [["Cookie", "tokensmith_session=%ZZ"]]);
    expect([badCookie.status, badCookie.headers.location]).toEqual([302, "/login"]);
  });
});

describe("Next's own inputs", () => {
  it("a malformed Next-Router-State-Tree header is a 400, not Next's 500", async () => {
    for (const tree of ["[[[[", "%ZZ", "null", "[1,2,3,4,5,6,7]"]) {
      for (const [path, headers] of [["/nope", asAdmin()], ["/tokens", asAdmin()], ["/login", []]] as const) {
        const res = await raw(`GET ${path} HTTP/1.1`, [...headers, ["RSC", "1"], ["Next-Router-State-Tree", tree]]);
        expect([path, tree, res.status]).toEqual([path, tree, 400]);
      }
    }
  });

  it("Next endpoints the dashboard does not use (image optimizer, data routes) are 404", async () => {
    for (const path of ["/_next/image?url=/\\", "/_next/image?url=%2Ffavicon.ico&w=64&q=75", "/_next/data/x/tokens.json"]) {
      const res = await raw(`GET ${path} HTTP/1.1`);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });
});

describe("headers and connections", () => {
  it("a request with an Upgrade header is an ordinary request, also after Next has served a page", async () => {
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    const upgrade: [string, string][] = [["Upgrade", "websocket"], ["Connection", "Upgrade, close"]];
    const api = await raw("GET /v1alpha/openapi.json HTTP/1.1", upgrade);
    expect([api.ended, api.status]).toEqual(["response", 200]);
    const page = await raw("GET /tokens HTTP/1.1", upgrade);
    expect([page.ended, page.status]).toEqual(["response", 302]);
  });

  it("too many header lines: 431 (not silently dropped); the limit itself passes", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => [`X-Filler-${i}`, "1"] as [string, string]);
    expect((await raw("GET /login HTTP/1.1", many(97))).status).toBe(200);
    expect((await raw("GET /login HTTP/1.1", many(150))).status).toBe(431);
    expect((await raw("GET /v1alpha/openapi.json HTTP/1.1", many(150))).status).toBe(431);
  });

  it("oversized headers and unparsable requests get a status and a close", async () => {
    const huge = await raw("GET /login HTTP/1.1", [["X-Huge", "a".repeat(20_000)]]);
    expect([huge.status, huge.headers.connection]).toEqual([431, "close"]);
    for (const bytes of ["FOO / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", "GET /\0 HTTP/1.1\r\n\r\n", "\r\n\r\nGARBAGE\r\n\r\n"]) {
      const res = await rawRequest(server.url, bytes);
      expect([JSON.stringify(bytes), res.status, res.headers["x-content-type-options"]]).toEqual([JSON.stringify(bytes), 400, "nosniff"]);
    }
  });

  it("hung sockets are reaped: no byte, or headers that stop, are closed by headersTimeout (10 s)", async () => {
    for (const socket of slowSockets) {
      const closedAfter = (await socket.closed) - socket.opened;
      expect(closedAfter).toBeGreaterThanOrEqual(9_000);
      expect(closedAfter).toBeLessThan(13_000);
    }
  }, 20_000);

  it("a request with Upgrade headers and a broken body stalls 5 s at most, not requestTimeout's 30 s", async () => {
    const closedAfter = (await brokenUpgradeBody.closed) - brokenUpgradeBody.opened;
    expect(closedAfter).toBeGreaterThanOrEqual(4_000);
    expect(closedAfter).toBeLessThan(8_000);
  }, 20_000);
});
