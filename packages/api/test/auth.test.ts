import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signAccessToken } from "@tokensmith/core";
import { createTestEnv, type TestEnv } from "./support.js";
import { resolveCaller } from "../src/auth/resolve-caller.js";
import { createCaller } from "../src/root.js";
import { createContextInner, createRequestContext } from "../src/context/index.js";
import { DEVICE_COOKIE, SESSION_COOKIE } from "../src/auth/cookies.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("resolving the caller", () => {
  it("accepts HTTP Basic with the right password only", async () => {
    await env.addUser("alice", "s3cret-pass");
    const ok = await resolveCaller(createContextInner(env.services), { authorization: basic("alice", "s3cret-pass") });
    expect(ok.caller).toMatchObject({ username: "alice", via: "basic" });
    for (const authorization of [basic("alice", "wrong"), basic("nobody", "s3cret-pass"), "Basic !!!"]) {
      expect(await resolveCaller(createContextInner(env.services), { authorization })).toEqual({ caller: null, authFailure: "invalid_credentials" });
    }
    expect(await resolveCaller(createContextInner(env.services), { authorization: "Digest x" })).toEqual({ caller: null, authFailure: "unsupported_scheme" });
  });

  it("accepts a Bearer token until it is revoked or expires", async () => {
    const alice = await env.addUser("alice");
    const { token, id } = await env.as(alice).token.create({ description: "b", life: "1 hour" });
    const ok = await resolveCaller(createContextInner(env.services), { authorization: `Bearer ${token}` });
    expect(ok.caller).toMatchObject({ userId: alice.userId, via: "bearer", token: { id, endpoints: null } });

    await env.as(alice).token.revoke({ id });
    expect(await resolveCaller(createContextInner(env.services), { authorization: `Bearer ${token}` })).toEqual({
      caller: null,
      authFailure: "invalid_token",
    });
  });

  it("refuses a validly signed token whose record is missing, expired or another user's", async () => {
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    const { id } = await env.as(alice).token.create({ description: "b", life: "1 hour" });
    const now = Math.floor(Date.now() / 1000);
    const forge = (userId: string, tokenId: string) =>
      signAccessToken(
        { userId, username: "x", tokenId, description: "", issuedAt: now, lifeSeconds: 3600 },
        env.services.keys.signer(),
      );
    // Right key, but not the token that was issued (its hash differs), or naming another user.
    for (const token of [await forge(alice.userId, id), await forge(bob.userId, id), await forge(alice.userId, crypto.randomUUID())]) {
      expect((await resolveCaller(createContextInner(env.services), { authorization: `Bearer ${token}` })).authFailure).toBe("invalid_token");
    }
    const real = await env.as(alice).token.create({ description: "c", life: "1 hour" });
    await env.opened.db.accessToken.update({ where: { id: real.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await resolveCaller(createContextInner(env.services), { authorization: `Bearer ${real.token}` })).authFailure).toBe("invalid_token");
  });

  it("signs in with a session cookie, and signs out", async () => {
    await env.addUser("alice", "s3cret-pass");
    const cookies: string[] = [];
    const anonymous = createCaller(createContextInner({ ...env.services, setCookie: (c) => cookies.push(c) }));
    await expect(anonymous.auth.login({ username: "alice", password: "nope" })).rejects.toThrow(
      "Invalid username or password",
    );
    await expect(anonymous.auth.login({ username: "nobody", password: "nope" })).rejects.toThrow(
      "Invalid username or password",
    );
    expect(await anonymous.auth.login({ username: "alice", password: "s3cret-pass" })).toEqual({
      username: "alice",
      isAdmin: false,
    });
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{40,}; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800$`));
    // The device cookie: only to tRPC, only from our own pages, kept for the 30 days a client stays known.
    expect(cookies[1]).toMatch(new RegExp(`^${DEVICE_COOKIE}=[\\w-]{43}; Path=/api/trpc; HttpOnly; SameSite=Strict; Max-Age=2592000$`));
    const value = cookies[0]!.split(";")[0]!.split("=")[1]!;
    const device = cookies[1]!.split(";")[0]!.split("=")[1]!;
    // Only the hash of either cookie's value is stored.
    expect(JSON.stringify(await env.opened.db.session.findMany())).not.toContain(value);
    expect(JSON.stringify(await env.opened.db.knownClient.findMany())).not.toContain(device);
    cookies.length = 0;

    const ctx = await createRequestContext(env.services, { headers: { cookie: `a=b; ${SESSION_COOKIE}=${value}` } });
    const signedIn = createCaller({ ...ctx, setCookie: (c) => cookies.push(c) });
    expect(await signedIn.auth.me()).toEqual({ username: "alice", isAdmin: false, via: "session" });
    await signedIn.auth.logout();
    expect(cookies[0]).toMatch(/Max-Age=0/);
    const after = await createRequestContext(env.services, { headers: { cookie: `${SESSION_COOKIE}=${value}` } });
    expect(after.caller).toBeNull();
  });
});
