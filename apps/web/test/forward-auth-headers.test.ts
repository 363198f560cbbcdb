import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { basicAuth, ordersOnlyBearer, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * Which headers name the original request of a forward-auth sub-request (FORWARD_AUTH_HEADERS),
 * asked directly, as a proxy that passes a client's own headers on would ask.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
const servers: Record<"auto" | "original" | "forwarded", RunningServer> = {} as never;
const bearers = new Map<RunningServer, string>();

beforeAll(async () => {
  const settings = { auto: undefined, original: "original", forwarded: " Forwarded " } as const;
  for (const [mode, setting] of Object.entries(settings) as [keyof typeof settings, string | undefined][]) {
    const server = await startServer({
      DATABASE_URL: (await testDatabase()).url,
      ADMIN_PASSWORD: "admin-password-1",
      ...(setting === undefined ? {} : { FORWARD_AUTH_HEADERS: setting }),
    });
    servers[mode] = server;
    bearers.set(server, await ordersOnlyBearer(server.url, ADMIN));
  }
});
afterAll(async () => {
  for (const server of Object.values(servers)) await server?.stop();
});

const ORIGINAL = (method: string, uri: string): [string, string][] => [
  ["X-Original-Method", method],
  ["X-Original-URI", uri],
];
const FORWARDED = (method: string, uri: string): [string, string][] => [
  ["X-Forwarded-Method", method],
  ["X-Forwarded-Uri", uri],
];

async function ask(server: RunningServer, headers: [string, string][]): Promise<{ status?: number; why?: string }> {
  const res = await rawRequest(server.url, buildRequest("GET /v1alpha/forward-auth HTTP/1.1", [["Authorization", bearers.get(server)!], ...headers]));
  return { status: res.status, why: res.headers["x-tokensmith-error"] };
}

describe("forward auth: the headers that name the original request", () => {
  it("auto (the default) takes either set alone, or both when they name the same request", async () => {
    expect(await ask(servers.auto, ORIGINAL("GET", "/api/orders/1"))).toEqual({ status: 200, why: undefined });
    expect(await ask(servers.auto, FORWARDED("GET", "/api/orders/1"))).toEqual({ status: 200, why: undefined });
    expect(await ask(servers.auto, [...ORIGINAL("GET", "/api/orders/1"), ...FORWARDED("GET", "/api/orders/1")])).toEqual({ status: 200, why: undefined });
    expect(await ask(servers.auto, FORWARDED("DELETE", "/api/users/1"))).toEqual({ status: 403, why: "not allowed: DELETE /api/users/1" });
  });

  it("refuses two sets that name different requests, in every mode and whichever set is forged", async () => {
    const disagree = "X-Original-Method/-URI and X-Forwarded-Method/-Uri name different requests";
    for (const server of Object.values(servers)) {
      // Behind Traefik or Caddy, a client adds X-Original-*; behind nginx, X-Forwarded-*.
      expect(await ask(server, [...FORWARDED("DELETE", "/api/users/1"), ...ORIGINAL("GET", "/api/orders/1")])).toEqual({ status: 403, why: disagree });
      expect(await ask(server, [...ORIGINAL("DELETE", "/api/users/1"), ...FORWARDED("GET", "/api/orders/1")])).toEqual({ status: 403, why: disagree });
      // One header differing is enough, and so is one header of the other set alone.
      expect(await ask(server, [...ORIGINAL("GET", "/api/orders/1"), ...FORWARDED("GET", "/api/orders/2")])).toEqual({ status: 403, why: disagree });
      expect(await ask(server, [...ORIGINAL("DELETE", "/api/orders/1"), ["X-Forwarded-Method", "GET"]])).toEqual({ status: 403, why: disagree });
      expect(await ask(server, [...FORWARDED("DELETE", "/api/orders/1"), ["x-original-method", "GET"]])).toEqual({ status: 403, why: disagree });
    }
  });

  it("refuses a header sent twice, even with the same value", async () => {
    for (const [name, value] of [...ORIGINAL("GET", "/api/orders/1"), ...FORWARDED("GET", "/api/orders/1")]) {
      const headers = name.startsWith("X-Original") ? ORIGINAL("GET", "/api/orders/1") : FORWARDED("GET", "/api/orders/1");
      const twice = await ask(servers.auto, [...headers, [name.toLowerCase(), value]]);
      expect(twice).toEqual({ status: 403, why: `${name} was sent more than once` });
    }
    const twoTokens = await ask(servers.auto, [...ORIGINAL("GET", "/api/orders/1"), ["authorization", "Bearer someone-elses"]]);
    expect(twoTokens).toEqual({ status: 403, why: "Authorization was sent more than once" });
  });

  it("original and forwarded require their own set", async () => {
    expect(await ask(servers.original, ORIGINAL("GET", "/api/orders/1"))).toEqual({ status: 200, why: undefined });
    expect(await ask(servers.original, FORWARDED("GET", "/api/orders/1"))).toEqual({
      status: 403,
      why: "no original method (X-Original-Method; FORWARD_AUTH_HEADERS=original)",
    });
    expect(await ask(servers.forwarded, FORWARDED("GET", "/api/orders/1"))).toEqual({ status: 200, why: undefined });
    expect(await ask(servers.forwarded, ORIGINAL("GET", "/api/orders/1"))).toEqual({
      status: 403,
      why: "no original method (X-Forwarded-Method; FORWARD_AUTH_HEADERS=forwarded)",
    });
    expect(await ask(servers.forwarded, [["X-Forwarded-Method", "GET"]])).toEqual({
      status: 403,
      why: "no original URI (X-Forwarded-Uri; FORWARD_AUTH_HEADERS=forwarded)",
    });
  });

  it("an absent, empty or made-up method and an absent URI are refused with a 403 (nginx turns any other status into a 500)", async () => {
    expect(await ask(servers.auto, [])).toEqual({ status: 403, why: "no original method (X-Original-Method or X-Forwarded-Method)" });
    expect(await ask(servers.auto, [["X-Original-URI", "/api/orders/1"]])).toEqual({ status: 403, why: "no original method (X-Original-Method)" });
    expect(await ask(servers.auto, [["X-Forwarded-Method", "GET"]])).toEqual({ status: 403, why: "no original URI (X-Forwarded-Uri)" });
    for (const method of ["", "G ET", "GET,DELETE", "GET\u00e9"]) {
      expect(await ask(servers.auto, ORIGINAL(method, "/api/orders/1")), method).toEqual({ status: 403, why: "the original method is not an HTTP method" });
    }
    // Methods are case-sensitive: Caddy and Traefik pass a client's `get` on as sent, and a server
    // behind may serve it otherwise than GET.
    expect(await ask(servers.auto, ORIGINAL("get", "/api/orders/1"))).toEqual({ status: 403, why: "not allowed: get /api/orders/1" });
  });
});
