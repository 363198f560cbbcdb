import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";
import { firstSights as firstSightsAt, metricsUrlOf } from "./support/metrics.js";

// A token not verified before is known by the SHA-256 stored on its row (no signature check), on
// every entry point; whatever that cannot settle still goes through the signature check.
const ADMIN_PASSWORD = "bearer-hash-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let server: RunningServer;
let metricsUrl: string;

const firstSights = () => firstSightsAt(metricsUrl);
const create = async (extra: Record<string, unknown> = {}) =>
  (await request(`${server.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "hash path", jwt_token_life: "1 hour", ...extra } })).body;
const get = (token: string, id: string) => request(`${server.url}/v1alpha/token/${id}`, { auth: `Bearer ${token}` });
const introspect = (token: string) =>
  request(`${server.url}/v1alpha/introspect`, { method: "POST", auth: ADMIN, rawBody: new URLSearchParams({ token }).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
const forwardAuth = (token: string, uri: string) =>
  request(`${server.url}/v1alpha/forward-auth`, { auth: `Bearer ${token}`, headers: { "x-original-method": "GET", "x-original-uri": uri } });
/** The token's header and signature around other claims: what a forger can make of a real token. */
function withClaims(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...change })).toString("base64url")}.${signature}`;
}

beforeAll(async () => {
  server = await startServer({ DATABASE_URL: (await testDatabase()).url, ADMIN_PASSWORD, METRICS_PORT: "0" });
  metricsUrl = metricsUrlOf(server);
}, 60_000);
afterAll(() => server?.stop());

describe("a token's first sight", () => {
  it("is settled by its stored hash on REST, introspection and forward auth: no signature check", async () => {
    const [rest, introspected, forwarded] = [await create(), await create(), await create({ jwt_token_endpoints: ["GET /api/orders/*"] })];
    const before = await firstSights();
    expect((await get(rest.jwt_token, rest.jwt_token_id)).status).toBe(200);
    expect((await introspect(introspected.jwt_token)).body).toMatchObject({ active: true, jti: introspected.jwt_token_id });
    expect((await forwardAuth(forwarded.jwt_token, "/api/orders/1")).status).toBe(200);
    expect((await forwardAuth(forwarded.jwt_token, "/api/users/1")).status).toBe(403);
    expect(await firstSights()).toEqual({ hash: before.hash + 3, signature: before.signature });
  });

  it("refuses a token whose id no database can hold (a NUL), and serves the first sights that come with it", async () => {
    const real = await Promise.all(Array.from({ length: 12 }, () => create()));
    const nul = withClaims(real[0].jwt_token, { jti: `${real[0].jwt_token_id}\u0000`, jwt_token_id: `${real[0].jwt_token_id}\u0000` });
    // All at once, so that on PostgreSQL the misses share queries with the NUL's.
    const answers = await Promise.all(real.flatMap((token) => [get(nul, "self"), get(token.jwt_token, token.jwt_token_id)]));
    expect(answers.map((answer) => answer.status)).toEqual(real.flatMap(() => [401, 200]));
  });

  it("refuses a forged token that reuses a real token's id, whether or not the real one was seen", async () => {
    const real = await create({ jwt_token_endpoints: ["GET /v1alpha/token/self"] });
    const other = await create();
    const widened = withClaims(real.jwt_token, { jwt_token_endpoints: undefined, username: "someone-else" });
    const resigned = `${real.jwt_token.split(".").slice(0, 2).join(".")}.${"A".repeat(86)}`;
    for (const forged of [widened, resigned]) {
      expect((await get(forged, other.jwt_token_id)).status).toBe(401);
      expect((await introspect(forged)).body).toEqual({ active: false });
      expect((await forwardAuth(forged, "/anything")).status).toBe(401);
    }
    // Seen now, cached: the forgeries are still not it.
    expect((await get(real.jwt_token, "self")).status).toBe(200);
    for (const forged of [widened, resigned]) expect((await get(forged, other.jwt_token_id)).status).toBe(401);
  });

  it("refuses a revoked token it never saw before, on the hash path", async () => {
    const revoked = await create();
    expect((await request(`${server.url}/v1alpha/token/${revoked.jwt_token_id}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
    const before = await firstSights();
    expect((await get(revoked.jwt_token, revoked.jwt_token_id)).status).toBe(401);
    expect((await introspect(revoked.jwt_token)).body).toEqual({ active: false });
    expect((await forwardAuth(revoked.jwt_token, "/anything")).status).toBe(401);
    // The hash settles it: the row is there and is the token's; the record says revoked.
    expect((await firstSights()).signature).toBe(before.signature);
  });
});
