import { describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, SignJWT, base64url } from "jose";
import { signAccessToken, signingKey, verifyAccessToken } from "../src/index.js";

const key = await signingKey("k".repeat(32));
const otherKey = await signingKey("o".repeat(32));
const issuedAt = Math.floor(Date.now() / 1000);
const input = {
  userId: "user-1",
  username: "alice",
  tokenId: "0b8f6f7e-1111-4a4a-9c9c-123456789abc",
  description: "Token alpha",
  issuedAt,
  lifeSeconds: 360,
};

describe("access token JWT", () => {
  it("carries the v1alpha claims and the registered ones", async () => {
    const token = await signAccessToken(input, key);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(decodeJwt(token)).toEqual({
      username: "alice",
      jwt_token_id: input.tokenId,
      jwt_token_description: "Token alpha",
      sub: "user-1",
      jti: input.tokenId,
      iat: issuedAt,
      exp: issuedAt + 360,
    });
    const result = await verifyAccessToken(token, key);
    expect(result).toMatchObject({ ok: true, claims: { sub: "user-1", jti: input.tokenId } });
  });

  it("refuses a tampered payload", async () => {
    const token = await signAccessToken(input, key);
    const [header, , signature] = token.split(".");
    const forged = base64url.encode(JSON.stringify({ ...decodeJwt(token), sub: "admin" }));
    expect(await verifyAccessToken(`${header}.${forged}.${signature}`, key)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses alg none", async () => {
    const token = await signAccessToken(input, key);
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = token.split(".")[1];
    expect(await verifyAccessToken(`${header}.${payload}.`, key)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses another HMAC algorithm even with the right key", async () => {
    const token = await new SignJWT({ username: "alice", jwt_token_id: "x", jwt_token_description: "" })
      .setProtectedHeader({ alg: "HS512", typ: "JWT" })
      .setSubject("user-1")
      .setJti("x")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("k".repeat(64)));
    expect(await verifyAccessToken(token, await signingKey("k".repeat(64)))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a token signed with another key", async () => {
    const token = await signAccessToken(input, otherKey);
    expect(await verifyAccessToken(token, key)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses an expired token, and says so", async () => {
    const token = await signAccessToken({ ...input, issuedAt: issuedAt - 400 }, key);
    expect(await verifyAccessToken(token, key)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses garbage", async () => {
    for (const junk of ["", "abc", "a.b.c", "x".repeat(5000)]) {
      expect(await verifyAccessToken(junk, key)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("refuses a short secret", async () => {
    await expect(async () => signingKey("short")).rejects.toThrow(/at least 32/);
  });
});
