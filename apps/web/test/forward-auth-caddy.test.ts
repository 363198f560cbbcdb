import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDERS_ONLY_ESCAPES, startCaddy, type Caddy } from "@tokensmith/testkit";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { basicAuth, ordersOnlyBearer, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { shippedProxyConfig } from "./support/shipped-proxy.js";

/**
 * An API with no code of its own for tokens, behind a real Caddy whose forward_auth asks
 * Tokensmith: with the shipped deploy/caddy/Caddyfile (addresses filled in), and with the block
 * the README used to show, which passed every client header on to Tokensmith. forward_auth sets
 * X-Forwarded-Method/-Uri; a client can add X-Original-Method/-URI of its own choosing.
 */
const PASSES_CLIENT_HEADERS = `http://127.0.0.1:{{port}} {
	forward_auth 127.0.0.1:3000 {
		uri /v1alpha/forward-auth
		copy_headers X-Tokensmith-User X-Tokensmith-User-Id X-Tokensmith-Token-Id
	}
	reverse_proxy 127.0.0.1:8080
}`;
const ADMIN = basicAuth("admin", "admin-password-1");
let tokensmith: RunningServer;
let api: http.Server;
let shipped: Caddy;
let naive: Caddy;
const seen: { method: string; url: string; user: string | undefined }[] = [];

beforeAll(async () => {
  tokensmith = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
  api = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, user: req.headers["x-tokensmith-user"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const addresses = { tokensmith: new URL(tokensmith.url).host, api: `127.0.0.1:${(api.address() as AddressInfo).port}` };
  shipped = await startCaddy(shippedProxyConfig("caddy", addresses));
  naive = await startCaddy(PASSES_CLIENT_HEADERS.replaceAll("127.0.0.1:3000", addresses.tokensmith).replaceAll("127.0.0.1:8080", addresses.api));
});
afterAll(async () => {
  await shipped?.stop();
  await naive?.stop();
  api?.close();
  await tokensmith?.stop();
});

const send = (caddy: Caddy, method: string, path: string, headers: [string, string][]) =>
  rawRequest(caddy.url, buildRequest(`${method} ${path} HTTP/1.1`, headers));

describe("an API behind Caddy's forward_auth, protected by Tokensmith", () => {
  it("the attack of issue 27: DELETE /api/users/1 dressed as GET /api/orders/1 in X-Original-* is refused, whatever the Caddyfile", async () => {
    const bearer = await ordersOnlyBearer(tokensmith.url, ADMIN);
    const forged: [string, string][] = [
      ["Authorization", bearer],
      ["X-Original-Method", "GET"],
      ["X-Original-URI", "/api/orders/1"],
    ];
    const before = seen.length;
    const viaShipped = await send(shipped, "DELETE", "/api/users/1", forged);
    expect(viaShipped.status).toBe(403);
    expect(viaShipped.headers["x-tokensmith-error"]).toBe("not allowed: DELETE /api/users/1");
    // Here Caddy passes the forged set on beside its own: Tokensmith refuses two sets that differ.
    const viaNaive = await send(naive, "DELETE", "/api/users/1", forged);
    expect(viaNaive.status).toBe(403);
    expect(viaNaive.headers["x-tokensmith-error"]).toBe("X-Original-Method/-URI and X-Forwarded-Method/-Uri name different requests");
    // Sent twice, so that a proxy joining the copies could not make one path of them either.
    const twice = await send(naive, "DELETE", "/api/users/1", [...forged, ["X-Original-URI", "/api/users/1"]]);
    expect(twice.status).toBe(403);
    expect(twice.headers["x-tokensmith-error"]).toBe("X-Original-URI was sent more than once");
    // Node reads the first Authorization; an API behind might read the second.
    const twoTokens = await send(shipped, "GET", "/api/orders/1", [["Authorization", bearer], ["Authorization", "Bearer someone-elses"]]);
    expect(twoTokens.status).toBe(403);
    expect(twoTokens.headers["x-tokensmith-error"]).toBe("Authorization was sent more than once");
    expect(seen.length).toBe(before);
  });

  it("the honest request passes; the shipped Caddyfile keeps the client's X-Original-* away from Tokensmith", async () => {
    const bearer = await ordersOnlyBearer(tokensmith.url, ADMIN);
    const junk: [string, string][] = [
      ["Authorization", bearer],
      ["X-Original-URI", "/api/elsewhere"],
      ["X-Tokensmith-User", "root"],
    ];
    const ok = await send(shipped, "GET", "/api/orders/1?expand=items", junk);
    expect(ok.status).toBe(200);
    expect(seen.at(-1)).toEqual({ method: "GET", url: "/api/orders/1?expand=items", user: "admin" });
    // Without the header_up lines Tokensmith sees both sets, and they differ.
    expect((await send(naive, "GET", "/api/orders/1", junk)).status).toBe(403);
    expect((await send(naive, "GET", "/api/orders/1", [["Authorization", bearer]])).status).toBe(200);
    expect((await send(shipped, "GET", "/api/users/1", [["Authorization", bearer]])).status).toBe(403);
  });

  it("Caddy passes the raw path on: every path that would reach another route is refused", async () => {
    const bearer = await ordersOnlyBearer(tokensmith.url, ADMIN);
    const before = seen.length;
    for (const path of ORDERS_ONLY_ESCAPES) {
      const res = await send(shipped, "GET", path, [["Authorization", bearer]]);
      expect(res.status, path).toBe(403);
      expect(res.headers["x-tokensmith-error"], path).toMatch(/^original URI refused: the request path /);
    }
    expect(seen.length).toBe(before);
  });
});

describe("the method Caddy passes on", () => {
  it("a client's `get` is refused by a token for GET: Caddy (Go) passes it on as sent, and methods are case-sensitive", async () => {
    const bearer = await ordersOnlyBearer(tokensmith.url, ADMIN);
    for (const method of ["get", "Get"]) {
      const res = await send(shipped, method, "/api/orders/1", [["Authorization", bearer]]);
      expect(res.status, method).toBe(403);
      expect(res.headers["x-tokensmith-error"], method).toBe(`not allowed: ${method} /api/orders/1`);
    }
  });
});
