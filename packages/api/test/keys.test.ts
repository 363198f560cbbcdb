import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeProtectedHeader, decodeJwt } from "jose";
import { createTestDatabase } from "@tokensmith/testkit";
import { loadConfig } from "../src/config.js";
import { openServices } from "../src/app.js";
import { code, createTestEnv, type TestEnv } from "./support.js";

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const HOUR = 3_600_000;

describe("the key lifecycle", () => {
  let e: TestEnv;
  beforeEach(async () => {
    env = e = await createTestEnv({ KEY_PUBLISH_DELAY: "10 minutes", KEY_ROTATION: "90 days" });
  });

  it("publishes a new key before it signs, retires the old one, and drops it when its last token expires", async () => {
    const admin = await e.addUser("root", "root-password", true);
    const keys = e.services.keys;
    const [first] = await keys.list();
    expect(first).toMatchObject({ alg: "ES256", state: "current" });
    const old = await e.as(admin).token.create({ description: "old", life: "1 hour" });
    expect(decodeProtectedHeader(old.token)).toMatchObject({ alg: "ES256", kid: first!.kid });
    expect(decodeJwt(old.token).iss).toBe(e.services.site.publicUrl);

    const next = await e.as(admin).keys.rotate();
    expect(next).toMatchObject({ state: "next" });
    expect(keys.jwks().keys.map((k) => k.kid).sort()).toEqual([first!.kid, next.kid].sort());
    // Published, not signing yet.
    const during = await e.as(admin).token.create({ description: "during", life: "1 hour" });
    expect(decodeProtectedHeader(during.token).kid).toBe(first!.kid);

    const now = Date.now();
    await keys.maintain(now + 10 * 60_000 + 1);
    const states = Object.fromEntries((await keys.list()).map((k) => [k.kid, k.state]));
    expect(states).toEqual({ [first!.kid]: "retired", [next.kid]: "current" });
    const after = await e.as(admin).token.create({ description: "after", life: "1 hour" });
    expect(decodeProtectedHeader(after.token).kid).toBe(next.kid);
    // The retired key still verifies its tokens, and stays published while they live.
    expect(await code((await e.bearer(old.token)).token.self())).toBe("OK");
    expect(keys.jwks().keys.map((k) => k.kid)).toContain(first!.kid);
    expect((await keys.list()).find((k) => k.kid === first!.kid)?.liveTokens).toBe(2);

    await keys.maintain(now + 2 * HOUR);
    expect((await keys.list()).map((k) => k.kid)).toEqual([next.kid]);
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([next.kid]);
  });

  it("rotates by itself when KEY_ROTATION has passed; only administrators list and rotate keys", async () => {
    const keys = e.services.keys;
    const [first] = await keys.list();
    await keys.maintain(Date.now() + 90 * 24 * HOUR + 1);
    const listed = await keys.list();
    expect(listed.map((k) => k.state).sort()).toEqual(["current", "next"]);
    expect(listed.find((k) => k.state === "current")?.kid).toBe(first!.kid);
    const user = await e.addUser("alice");
    expect(await code(e.as(user).keys.rotate())).toBe("FORBIDDEN");
    expect(await code(e.as(user).keys.list())).toBe("FORBIDDEN");
  });
});

describe("the master secret", () => {
  it("signs with EdDSA when TOKEN_ALG says so", async () => {
    const ed = (env = await createTestEnv({ TOKEN_ALG: "EdDSA" }));
    const alice = await ed.addUser("alice");
    const { token } = await ed.as(alice).token.create({ description: "ed", life: "1 hour" });
    expect(decodeProtectedHeader(token).alg).toBe("EdDSA");
    expect(ed.services.keys.jwks().keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
  });

  it("refuses to start with another master secret than the one that sealed the keys", async () => {
    const database = await createTestDatabase();
    try {
      const first = await openServices(loadConfig({ DATABASE_URL: database.url, TOKENSMITH_SECRET: "a".repeat(40) }));
      await first.close();
      await expect(openServices(loadConfig({ DATABASE_URL: database.url, TOKENSMITH_SECRET: "b".repeat(40) }))).rejects.toThrow(
        /master secret does not open the signing keys/,
      );
    } finally {
      await database.drop();
    }
  });
});
