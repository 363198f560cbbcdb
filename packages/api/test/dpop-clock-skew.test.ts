import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { createHash, randomUUID } from "node:crypto";
import type { AccessTokenClaims } from "@tokensmith/core";
import type { TokenAuthRecord } from "@tokensmith/db";
import { provePossession } from "../src/auth/dpop.js";
import { createTestEnv, type TestEnv } from "./support.js";

/**
 * Instances sharing a database judge a proof's iat by their own clocks, and whichever instance
 * prunes the replay store deletes by its own. Clocks a little apart must not open a replay: a proof
 * one instance accepted near the end of its window is still remembered when an instance whose
 * clock runs ahead prunes (app.ts prunes with that instance's Date.now()), so a second instance
 * still inside the window refuses it as a replay.
 */
let env: TestEnv;
const TOKEN = "a.bound.token";
const URL_ = "https://api.example.com/v1alpha/token/self";
let jwk: JWK;
let record: TokenAuthRecord;
let privateKey: CryptoKey;

beforeAll(async () => {
  env = await createTestEnv();
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey as CryptoKey;
  jwk = await exportJWK(pair.publicKey);
  record = { dpopJkt: await calculateJwkThumbprint(jwk) } as TokenAuthRecord;
});
afterAll(() => env?.close());

const proof = (iat: number) =>
  new SignJWT({ jti: randomUUID(), htm: "GET", htu: URL_, iat, ath: createHash("sha256").update(TOKEN).digest("base64url") })
    .setProtectedHeader({ typ: "dpop+jwt", alg: "ES256", jwk })
    .sign(privateKey);

const present = (services: TestEnv["services"], dpop: string) =>
  provePossession(services, TOKEN, {} as AccessTokenClaims, record, { scheme: "dpop", proof: dpop, method: "GET", url: URL_ });

describe("the DPoP replay store across instances whose clocks differ", () => {
  it("a proof accepted 59 s after its iat is still a replay after an instance 55 s ahead prunes", async () => {
    const { services } = env;
    expect(services.config.dpopWindowSeconds).toBe(60);
    const nearTheEnd = await proof(Math.floor(Date.now() / 1000) - 59);
    expect(await present(services, nearTheEnd)).toBeNull();
    // The instance whose clock is 55 s ahead runs its minute's prune.
    await services.dpopProofs.prune(Date.now() + 55_000, 10_000);
    expect(await present(services, nearTheEnd)).toMatchObject({ refusal: "dpop", error: "invalid_dpop_proof", reason: "This DPoP proof was used before" });
  });

  it("proofs are still pruned: once no instance within a window of this clock accepts them", async () => {
    const { services } = env;
    const old = await proof(Math.floor(Date.now() / 1000) - 59);
    expect(await present(services, old)).toBeNull();
    expect(await services.dpopProofs.prune(Date.now() + 125_000, 10_000)).toBeGreaterThanOrEqual(1);
  });
});
