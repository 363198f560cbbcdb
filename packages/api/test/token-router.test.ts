import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { decodeJwt } from "jose";
import { sha256Hex } from "@tokensmith/core";
import { createTestEnv, type TestEnv } from "./support.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv({ MAX_TOKEN_LIFE: "30 days" });
});
afterEach(() => env.close());

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("token router", () => {
  it("creates a token whose JWT matches the stored record, storing only its hash", async () => {
    const alice = await env.addUser("alice");
    const created = await env.as(alice).token.create({ description: "  Token alpha ", life: "6 minutes" });
    expect(created).toMatchObject({ description: "Token alpha", lifeSeconds: 360, status: "Valid" });
    const claims = decodeJwt(created.token);
    expect(claims).toMatchObject({ sub: alice.userId, jti: created.id, jwt_token_id: created.id, username: "alice" });
    expect(claims.exp! - claims.iat!).toBe(360);

    const row = await env.opened.db.accessToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(sha256Hex(created.token));
    expect(row.expiresAt.getTime() / 1000).toBe(claims.exp);
    const everything = JSON.stringify(await env.opened.db.accessToken.findMany());
    expect(everything).not.toContain(created.token);
  });

  it("lists and gets only the caller's own tokens, never the JWT", async () => {
    const alice = await env.addUser("alice");
    const bob = await env.addUser("bob");
    const a1 = await env.as(alice).token.create({ description: "a1", life: "1 hour" });
    const a2 = await env.as(alice).token.create({ description: "a2", life: "2 days" });
    const b1 = await env.as(bob).token.create({ description: "b1", life: "1 hour" });

    const list = await env.as(alice).token.list();
    expect(list.map((t) => t.id).sort()).toEqual([a1.id, a2.id].sort());
    expect(JSON.stringify(list)).not.toContain(a1.token);
    const got = await env.as(alice).token.get({ id: a2.id });
    expect(got).toMatchObject({ id: a2.id, description: "a2", lifeSeconds: 172_800, status: "Valid" });
    expect(got.remainingSeconds).toBeGreaterThan(172_790);

    // Another user's token does not exist, for reading and for revoking.
    expect((await rejection(env.as(alice).token.get({ id: b1.id }))).code).toBe("NOT_FOUND");
    expect((await rejection(env.as(alice).token.revoke({ id: b1.id }))).code).toBe("NOT_FOUND");
    expect(await env.as(bob).token.get({ id: b1.id })).toMatchObject({ id: b1.id });
  });

  it("revokes: the token leaves the list and cannot be revoked twice", async () => {
    const alice = await env.addUser("alice");
    const token = await env.as(alice).token.create({ description: "x", life: "1 hour" });
    expect(await env.as(alice).token.revoke({ id: token.id })).toEqual({ id: token.id });
    expect(await env.as(alice).token.list()).toEqual([]);
    expect((await rejection(env.as(alice).token.get({ id: token.id }))).message).toBe("Token does not exist");
    expect((await rejection(env.as(alice).token.revoke({ id: token.id }))).code).toBe("NOT_FOUND");
    const row = await env.opened.db.accessToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.revokedAt).toBeInstanceOf(Date);
  });

  it.each([
    [{ description: "x", life: "banana" }, /Invalid lifetime "banana".*Accepted units/],
    [{ description: "x", life: "31 days" }, /exceeds the maximum of 30 days/],
    [{ description: "x", life: "0 s" }, /at least 1 second/],
    [{ description: "", life: "1 day" }, /description: must not be empty/],
    [{ description: "d".repeat(201), life: "1 day" }, /description: must be at most 200 characters/],
    [{ description: "x", life: 5 }, /life: must be a string/],
    [{ life: "1 day" }, /description: is required/],
  ])("rejects %j with BAD_REQUEST", async (input, message) => {
    const alice = await env.addUser("alice");
    const error = await rejection(env.as(alice).token.create(input as never));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(message);
    expect(await env.opened.db.accessToken.count()).toBe(0);
  });

  it("rejects a malformed id", async () => {
    const alice = await env.addUser("alice");
    expect((await rejection(env.as(alice).token.get({ id: "not-a-uuid" }))).code).toBe("BAD_REQUEST");
  });

  it("refuses every procedure without a caller", async () => {
    const anonymous = env.as(null);
    expect((await rejection(anonymous.token.list())).code).toBe("UNAUTHORIZED");
    expect((await rejection(anonymous.token.create({ description: "x", life: "1 day" }))).code).toBe("UNAUTHORIZED");
  });

  it("reports expiry: remaining 0 and status Expired once past", async () => {
    const alice = await env.addUser("alice");
    const token = await env.as(alice).token.create({ description: "short", life: "1 hour" });
    await env.opened.db.accessToken.update({ where: { id: token.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await env.as(alice).token.get({ id: token.id })).toMatchObject({ remainingSeconds: 0, status: "Expired" });
  });
});
