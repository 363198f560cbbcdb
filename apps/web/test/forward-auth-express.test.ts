import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDERS_ONLY_ESCAPES, startNginx, type Nginx } from "@tokensmith/testkit";
import { buildRequest, rawRequest } from "./support/raw-http.js";
import { basicAuth, ordersOnlyBearer, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { shippedProxyConfig } from "./support/shipped-proxy.js";

/**
 * The shipped nginx configuration (deploy/nginx/forward-auth.conf) in front of a real Express 5
 * API with a users router and an orders router. nginx resolves `..` to pick its location, then
 * passes the raw path on; Express routes on the raw path, so /api/users/../orders/1 goes to the
 * users router. A token limited to GET /api/orders/* must never get there.
 */
const ADMIN = basicAuth("admin", "admin-password-1");
let tokensmith: RunningServer;
let api: Server;
let apiUrl: string;
let nginx: Nginx;
const served: { router: string; method: string; url: string }[] = [];

beforeAll(async () => {
  tokensmith = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD: "admin-password-1", TRUST_PROXY: "1" });
  const app = express();
  const router = (name: string) => {
    const routes = express.Router();
    routes.use((req, res) => {
      served.push({ router: name, method: req.method, url: req.originalUrl });
      res.json({ router: name, user: req.get("x-tokensmith-user") ?? null });
    });
    return routes;
  };
  app.use("/api/users", router("users"));
  app.use("/api/orders", router("orders"));
  app.use((req, res) => void res.status(404).json({ router: null }));
  api = await new Promise<Server>((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const config = shippedProxyConfig("nginx", { tokensmith: new URL(tokensmith.url).host, api: apiUrl.slice("http://".length) });
  nginx = await startNginx(config);
});
afterAll(async () => {
  nginx?.stop();
  await new Promise((resolve) => api?.close(resolve));
  await tokensmith?.stop();
});

const get = (base: string, path: string, authorization?: string) =>
  rawRequest(base, buildRequest(`GET ${path} HTTP/1.1`, authorization ? [["Authorization", authorization]] : []));

describe("nginx in front of Express 5: a path is judged in the form Express routes it", () => {
  it("the attack: Express serves /api/users/../orders/1 and its spellings from the users router", async () => {
    for (const path of ORDERS_ONLY_ESCAPES.filter((escape) => escape.startsWith("/api/users/"))) {
      const direct = await get(apiUrl, path);
      expect(JSON.parse(direct.body), path).toMatchObject({ router: "users" });
    }
  });

  it("through nginx, an orders-only token reaches the orders router and nothing else, however the path is spelled", async () => {
    const bearer = await ordersOnlyBearer(tokensmith.url, ADMIN);
    const ok = await get(nginx.url, "/api/orders/1", bearer);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ router: "orders", user: "admin" });
    const before = served.length;
    for (const path of ["/api/users/1", ...ORDERS_ONLY_ESCAPES]) {
      const refused = await get(nginx.url, path, bearer);
      expect(refused.status, path).toBe(403);
      expect(refused.headers["www-authenticate"], path).toContain('error="insufficient_scope"');
    }
    expect(served.slice(before)).toEqual([]);
  });
});
