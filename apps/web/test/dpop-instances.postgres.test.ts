import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as oauth from "oauth4webapi";
import { calculateJwkThumbprint, type JWK } from "jose";
import type { TestDatabase } from "@tokensmith/testkit";
import { basicAuth, request, startServer, testDatabase, type RunningServer } from "./support/server.js";

/**
 * One DPoP proof, replayed at a second server process on the same PostgreSQL: both serve one
 * PUBLIC_URL (as instances behind one load balancer do), so the proof names either, and the
 * second refuses it as a replay.
 */
const ADMIN = basicAuth("admin", "dpop-instances-password");
const PUBLIC_URL = "https://tokens.example";
let database: TestDatabase;
let instances: RunningServer[];

beforeAll(async () => {
  database = await testDatabase();
  instances = await Promise.all([1, 2].map(() => startServer({ DATABASE_URL: database.url, ADMIN_PASSWORD: "dpop-instances-password", PUBLIC_URL })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((s) => s.stop()));
  await database?.drop();
});

describe("DPoP replay across instances", () => {
  it("a proof accepted by one instance is refused by the other", async () => {
    const [a, b] = instances as [RunningServer, RunningServer];
    const key = await oauth.generateKeyPair("ES256");
    const jkt = await calculateJwkThumbprint((await crypto.subtle.exportKey("jwk", key.publicKey)) as JWK);
    const made = await request(`${a.url}/v1alpha/token/`, { method: "POST", auth: ADMIN, body: { jwt_token_description: "two", jwt_token_life: "1 hour", jwt_token_dpop_jkt: jkt } });
    const statuses: number[] = [];
    const answers: Response[] = [];
    const aThenB: oauth.CustomFetch = async (url, init) => {
      for (const server of [a, b]) {
        const response = await fetch(url.replace(PUBLIC_URL, server.url), init);
        statuses.push(response.status);
        answers.push(response);
      }
      return answers[0]!;
    };
    await oauth.protectedResourceRequest(made.body.jwt_token, "GET", new URL(`${PUBLIC_URL}/v1alpha/token/self`), new Headers(), null, {
      DPoP: oauth.DPoP({ client_id: "instances" }, key),
      [oauth.customFetch]: aThenB,
    });
    expect(statuses).toEqual([200, 401]);
    expect(answers[1]!.headers.get("www-authenticate")).toContain('error_description="This DPoP proof was used before"');
  });
});
