import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_FEED_KEY, testDatabaseKind } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { metricsUrlOf } from "./support/metrics.js";

// /metrics on METRICS_PORT (loopback), in Prometheus text, from the built server.
const ADMIN_PASSWORD = "metrics-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let server: RunningServer;
let metricsUrl: string;

/** Every sample line as `name{labels}` → value. */
async function scrape(url = metricsUrl): Promise<Map<string, number>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}
const value = (samples: Map<string, number>, key: string) => samples.get(key) ?? 0;
const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${server.url}${path}`, { auth: ADMIN, ...init });
const create = async (extra: Record<string, unknown> = {}) =>
  (await api("/v1alpha/token/", { method: "POST", body: { jwt_token_description: "measured", jwt_token_life: "1 hour", ...extra } })).body;

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD, METRICS_PORT: "0", WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_RETRY_BASE: "1 hour" });
  metricsUrl = metricsUrlOf(server);
}, 60_000);
afterAll(() => server?.stop());

describe("metrics", () => {
  it("are served on the metrics port, on loopback, and not on the service's own port", async () => {
    expect(new URL(metricsUrl).hostname).toBe("127.0.0.1");
    expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
    const onService = await fetch(`${server.url}/metrics`, { redirect: "manual" });
    expect(onService.status).not.toBe(200);
    expect(await onService.text()).not.toContain("tokensmith_");
    const samples = await scrape();
    expect(samples.has("process_cpu_user_seconds_total")).toBe(true);
    expect(samples.has("nodejs_eventloop_lag_seconds")).toBe(true);
    expect((await fetch(metricsUrl.replace("/metrics", "/other"))).status).toBe(404);
    expect((await fetch(metricsUrl, { method: "POST" })).status).toBe(405);
  });

  it("count token checks by outcome, tokens issued and revoked, and requests by route group and status", async () => {
    const before = await scrape();
    const token = await create();
    const narrow = await create({ jwt_token_endpoints: ["GET /v1alpha/token/self"] });
    const limited = await create({ jwt_token_rate_limit: { requests: 1, per: "1 hour" } });
    for (let i = 0; i < 3; i++) expect((await request(`${server.url}/v1alpha/token/${token.jwt_token_id}`, { auth: `Bearer ${token.jwt_token}` })).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token/`, { auth: `Bearer ${narrow.jwt_token}` })).status).toBe(403);
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${limited.jwt_token}` })).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${limited.jwt_token}` })).status).toBe(429);
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: "Bearer not.a.token" })).status).toBe(401);
    expect((await api(`/v1alpha/token/${token.jwt_token_id}/rotate`, { method: "POST", body: {} })).status).toBe(201);
    expect((await api(`/v1alpha/token/${narrow.jwt_token_id}`, { method: "DELETE" })).status).toBe(200);
    expect((await request(`${server.url}/v1alpha/token/self`, { auth: `Bearer ${narrow.jwt_token}` })).status).toBe(401);
    const after = await scrape();
    const delta = (key: string) => value(after, key) - value(before, key);
    expect({
      allowed: delta('tokensmith_token_checks_total{outcome="allowed"}'),
      forbidden: delta('tokensmith_token_checks_total{outcome="forbidden"}'),
      rateLimited: delta('tokensmith_token_checks_total{outcome="rate_limited"}'),
      unauthorized: delta('tokensmith_token_checks_total{outcome="unauthorized"}'),
      created: delta('tokensmith_tokens_issued_total{how="created"}'),
      rotated: delta('tokensmith_tokens_issued_total{how="rotated"}'),
      revoked: delta('tokensmith_tokens_revoked_total{how="revoked"}'),
      gets: delta('tokensmith_http_request_duration_seconds_count{route="v1alpha.token",status="200"}'),
      created201: delta('tokensmith_http_request_duration_seconds_count{route="v1alpha.token",status="201"}'),
    }).toEqual({ allowed: 4, forbidden: 1, rateLimited: 1, unauthorized: 2, created: 3, rotated: 1, revoked: 1, gets: 5, created201: 4 });
    // Cumulative buckets end at +Inf with the count.
    const inf = value(after, 'tokensmith_http_request_duration_seconds_bucket{route="v1alpha.token",status="200",le="+Inf"}');
    expect(inf).toBe(value(after, 'tokensmith_http_request_duration_seconds_count{route="v1alpha.token",status="200"}'));
  });

  it("label hostile paths by route group only: no path, id or query makes a series of its own", async () => {
    const invented = Array.from({ length: 200 }, (_, i) => `zz${i}q${Math.random().toString(36).slice(2, 8)}`);
    const paths = invented.flatMap((x) => [`/v1alpha/${x}`, `/v1alpha/token/${x}/usage`, `/api/${x}`, `/${x}?token=${x}`, `/.well-known/${x}`, `/api/trpc/${x}`]);
    for (let i = 0; i < paths.length; i += 50) await Promise.all(paths.slice(i, i + 50).map((p) => fetch(`${server.url}${p}`, { redirect: "manual" }).then((r) => r.arrayBuffer())));
    const keys = [...(await scrape()).keys()].filter((key) => key.startsWith("tokensmith_http_request_duration_seconds_count"));
    for (const key of keys) expect(invented.some((x) => key.includes(x)), key).toBe(false);
    const routes = new Set(keys.map((key) => /route="([^"]*)"/.exec(key)![1]));
    const allowed = ["v1alpha.token", "v1alpha.introspect", "v1alpha.forward-auth", "v1alpha.revocations", "v1alpha.webhooks", "v1alpha.openapi", "v1alpha.other",
      "trpc", "health", "specter.v1alpha", "api.other", "well-known", "asset", "docs", "dashboard", "invalid"];
    for (const route of routes) expect(allowed).toContain(route);
    expect(keys.length).toBeLessThan(60);
  });

  it("follow the revocation feed: followers connected now, entries of revoked tokens", async () => {
    const token = await create();
    await api(`/v1alpha/token/${token.jwt_token_id}`, { method: "DELETE" });
    const stream = await new Promise<http.IncomingMessage>((resolve) => http.get(`${server.url}/v1alpha/revocations`, { headers: { Authorization: `Bearer ${TEST_FEED_KEY}` } }, resolve));
    await new Promise((resolve) => stream.once("data", resolve));
    const following = await scrape();
    expect(value(following, "tokensmith_revocation_feed_followers")).toBe(1);
    expect(value(following, "tokensmith_revocation_feed_entries")).toBeGreaterThanOrEqual(1);
    expect(value(following, "tokensmith_revocation_feed_age_seconds")).toBeLessThan(30);
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(value(await scrape(), "tokensmith_revocation_feed_followers")).toBe(0);
  });

  it("show the webhook outbox: a delivery that fails waits, counted, with its age; deliveries by result", async () => {
    // A receiver that is not there: a port nothing listens on.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const hook = await api("/v1alpha/webhooks/", { method: "POST", body: { url: `http://127.0.0.1:${port}/hook`, events: ["token.created"] } });
    expect(hook.status).toBe(201);
    await create();
    const deadline = Date.now() + 20_000;
    let samples = await scrape();
    while (value(samples, 'tokensmith_webhook_deliveries_total{result="retrying"}') < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      samples = await scrape();
    }
    expect(value(samples, 'tokensmith_webhook_deliveries_total{result="retrying"}')).toBe(1);
    expect(value(samples, 'tokensmith_webhook_deliveries_total{result="delivered"}')).toBe(0);
    // The outbox is read at most every 10 s: wait for a read after the attempt.
    const deadline2 = Date.now() + 25_000;
    while (value(samples, "tokensmith_webhook_outbox_deliveries") < 1 && Date.now() < deadline2) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      samples = await scrape();
    }
    expect(value(samples, "tokensmith_webhook_outbox_deliveries")).toBe(1);
    expect(value(samples, "tokensmith_webhook_oldest_pending_age_seconds")).toBeGreaterThan(0);
    expect(samples.has("tokensmith_webhook_outbox_events")).toBe(true);
  }, 60_000);

  it.runIf(testDatabaseKind() === "postgres")("report each PostgreSQL pool: connections in use and idle, queries waiting", async () => {
    const samples = await scrape();
    for (const pool of ["prisma", "reads", "creates"]) {
      expect(samples.has(`tokensmith_db_pool_connections{pool="${pool}",state="in_use"}`), pool).toBe(true);
      expect(samples.has(`tokensmith_db_pool_waiting{pool="${pool}"}`), pool).toBe(true);
    }
    expect(value(samples, 'tokensmith_db_pool_connections{pool="prisma",state="idle"}')).toBeGreaterThan(0);
  });
});

describe("metrics under WORKERS=2", () => {
  it("the primary serves every worker's counts, added up", async () => {
    const workers = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD, METRICS_PORT: "0", WORKERS: "2" });
    try {
      const url = metricsUrlOf(workers);
      const before = value(await scrape(url), 'tokensmith_http_request_duration_seconds_count{route="health",status="200"}');
      // A connection each: the primary hands them to both workers in turn.
      for (let i = 0; i < 40; i++) {
        await new Promise<void>((resolve, reject) =>
          http.get(`${workers.url}/healthz/live`, { agent: false }, (res) => res.resume().on("end", resolve)).on("error", reject),
        );
      }
      const samples = await scrape(url);
      expect(value(samples, 'tokensmith_http_request_duration_seconds_count{route="health",status="200"}') - before).toBe(40);
      // The outbox is one database: not counted once per worker.
      expect(samples.has("tokensmith_webhook_outbox_deliveries")).toBe(true);
    } finally {
      await workers.stop();
    }
  }, 90_000);
});
