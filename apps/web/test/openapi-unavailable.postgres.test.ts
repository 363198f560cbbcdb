import { afterAll, beforeAll, expect, it } from "vitest";
import { startPostgresCluster, startServer, type PostgresCluster, type RunningServer } from "@tokensmith/testkit";
import { basicAuth } from "./support/server.js";
import { call, OpenApiContract } from "./support/openapi-contract.js";

/**
 * The documented 503s, produced for real: PostgreSQL stops under a running server, and every route
 * that needs the database answers 503 with Retry-After and the documented body — none hangs, none
 * is a 500. (The other statuses: openapi-contract.test.ts.)
 */
const ADMIN_PASSWORD = "unavailable-admin-password";
const ADMIN = basicAuth("admin", ADMIN_PASSWORD);
let cluster: PostgresCluster;
let server: RunningServer;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  server = await startServer({ DATABASE_URL: cluster.url(), ADMIN_PASSWORD });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  cluster?.stop();
});

it("every documented 503 is what a route that needs the database answers while PostgreSQL is down", async () => {
  const contract = new OpenApiContract(JSON.parse((await call(`${server.url}/v1alpha/openapi.json`)).text));
  const created = await call(`${server.url}/v1alpha/token/`, {
    method: "POST",
    headers: { authorization: ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ jwt_token_description: "while it lasts", jwt_token_life: "1 hour" }),
  });
  const { jwt_token: token, jwt_token_id: id } = JSON.parse(created.text);
  const expected = contract.documented().filter((entry) => entry.endsWith(" 503") && !entry.includes("/v1alpha/revocations"));
  expect(expected.length).toBeGreaterThanOrEqual(10);

  cluster.halt();
  try {
    for (const entry of expected) {
      const [method, path] = entry.split(" ") as [string, string];
      // A Bearer token on half the routes, a password on the other half: both need the database.
      const auth = expected.indexOf(entry) % 2 === 0 ? `Bearer ${token}` : ADMIN;
      const answer = await call(`${server.url}${path.replace("{id}", id).replace("{deliveryId}", "11111111-1111-4111-8111-111111111111").replace("{name}", "ci-bot")}`, {
        method,
        headers: { authorization: path === "/v1alpha/forward-auth" ? `Bearer ${token}` : auth, "x-original-method": "GET", "x-original-uri": "/" },
      });
      expect(answer.status, entry).toBe(503);
      contract.check(method, path, answer);
    }
  } finally {
    cluster.start();
  }
  expect(contract.unexercised((entry) => !expected.includes(entry))).toEqual([]);
}, 120_000);
