import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, SignJWT, base64url } from "jose";
import {
  generateSigningKey,
  importPrivateKey,
  importPublicJwk,
  signAccessToken,
  signingKey,
  verifyAccessToken,
  type KeyLookup,
  type TokenAlgorithm,
  type TokenSigner,
  type VerificationKey,
} from "../src/index.js";

const issuedAt = Math.floor(Date.now() / 1000);
const input = {
  userId: "user-1",
  username: "alice",
  tokenId: "0b8f6f7e-1111-4a4a-9c9c-123456789abc",
  description: "Token alpha",
  issuedAt,
  lifeSeconds: 360,
  issuer: "https://tokens.example.com",
};

async function keyPair(alg: TokenAlgorithm) {
  const generated = await generateSigningKey(alg);
  const signer: TokenSigner = { kid: generated.kid, alg, key: importPrivateKey(generated.privateKey) };
  const verifier: VerificationKey = { kid: generated.kid, alg, key: importPublicJwk(generated.publicJwk) };
  return { generated, signer, verifier };
}
const ring = (...keys: VerificationKey[]): KeyLookup => ({ kid }) => keys.find((k) => k.kid === (kid ?? null));

describe.each(["ES256", "EdDSA"] as const)("access tokens signed with %s", (alg) => {
  it("carries kid, the v1alpha claims, iss and the registered ones", async () => {
    const { signer, verifier, generated } = await keyPair(alg);
    const token = await signAccessToken(input, signer);
    expect(decodeProtectedHeader(token)).toEqual({ alg, typ: "JWT", kid: generated.kid });
    expect(decodeJwt(token)).toEqual({
      username: "alice",
      jwt_token_id: input.tokenId,
      jwt_token_description: "Token alpha",
      sub: "user-1",
      jti: input.tokenId,
      iss: "https://tokens.example.com",
      iat: issuedAt,
      exp: issuedAt + 360,
    });
    expect(await verifyAccessToken(token, ring(verifier))).toMatchObject({ ok: true, kid: generated.kid, claims: { sub: "user-1" } });
    expect(generated.publicJwk).toMatchObject({ kid: generated.kid, alg, use: "sig" });
    expect(generated.publicJwk).not.toHaveProperty("d");
  });

  it("refuses a tampered payload, an unknown kid, and another key with the same kid", async () => {
    const { signer, verifier } = await keyPair(alg);
    const other = await keyPair(alg);
    const token = await signAccessToken(input, signer);
    const [header, , signature] = token.split(".");
    const forged = base64url.encode(JSON.stringify({ ...decodeJwt(token), sub: "admin" }));
    expect(await verifyAccessToken(`${header}.${forged}.${signature}`, ring(verifier))).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyAccessToken(token, ring(other.verifier))).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyAccessToken(token, ring({ ...other.verifier, kid: verifier.kid }))).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("algorithm confusion and tokens of older releases", () => {
  it("verifies an HS256 token without a kid with the legacy secret", async () => {
    const legacy: VerificationKey = { kid: null, alg: "HS256", key: await signingKey("k".repeat(32)) };
    const token = await signAccessToken({ ...input, issuer: undefined }, legacy);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(await verifyAccessToken(token, ring(legacy))).toMatchObject({ ok: true, kid: null });
  });

  it("refuses an HS256 token made with a public key as its secret", async () => {
    const { verifier, generated } = await keyPair("ES256");
    const publicText = JSON.stringify(generated.publicJwk);
    const header = base64url.encode(JSON.stringify({ alg: "HS256", typ: "JWT", kid: generated.kid }));
    const payload = base64url.encode(JSON.stringify({ ...input, sub: "admin", jti: input.tokenId, jwt_token_id: input.tokenId, iat: issuedAt, exp: issuedAt + 60 }));
    const mac = createHmac("sha256", publicText).update(`${header}.${payload}`).digest("base64url");
    expect(await verifyAccessToken(`${header}.${payload}.${mac}`, ring(verifier))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses alg none and other HMAC algorithms", async () => {
    const legacy: VerificationKey = { kid: null, alg: "HS256", key: await signingKey("k".repeat(64)) };
    const token = await signAccessToken(input, legacy);
    const none = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    expect(await verifyAccessToken(`${none}.${token.split(".")[1]}.`, ring(legacy))).toEqual({ ok: false, reason: "invalid" });
    const hs512 = await new SignJWT({ username: "alice", jwt_token_id: "x", jwt_token_description: "" })
      .setProtectedHeader({ alg: "HS512", typ: "JWT" })
      .setSubject("user-1")
      .setJti("x")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("k".repeat(64)));
    expect(await verifyAccessToken(hs512, ring(legacy))).toEqual({ ok: false, reason: "invalid" });
  });

  it("says expired, refuses garbage and short secrets", async () => {
    const { signer, verifier } = await keyPair("ES256");
    const expired = await signAccessToken({ ...input, issuedAt: issuedAt - 400 }, signer);
    // With its id, so the refusal can be counted against the token (its usage, "unauthorized").
    expect(await verifyAccessToken(expired, ring(verifier))).toEqual({ ok: false, reason: "expired", jti: input.tokenId });
    for (const junk of ["", "abc", "a.b.c", "x".repeat(5000)]) {
      expect(await verifyAccessToken(junk, ring(verifier))).toEqual({ ok: false, reason: "invalid" });
    }
    await expect(async () => signingKey("short")).rejects.toThrow(/at least 32/);
  });
});

describe("tokens imported from Specter Desktop", () => {
  const secret = "specter-secret-22chars";
  // Specter's User.generate_jwt_token: HS256 (PyJWT adds typ JWT), its claims only, no kid, sub or jti.
  const specterToken = (claims: Record<string, unknown>, key = secret) =>
    new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode(key));
  const specterKey = async (): Promise<VerificationKey> => ({ kid: null, alg: "HS256", key: await signingKey(secret, 1), specter: true });
  const legacyKey = async (): Promise<VerificationKey> => ({ kid: null, alg: "HS256", key: await signingKey("k".repeat(32)) });
  const lookup = (specter: VerificationKey, legacy: VerificationKey): KeyLookup => ({ specter: shaped }) => (shaped ? specter : legacy);

  it("verify with Specter's secret only, their jwt_token_id as jti and no sub", async () => {
    const token = await specterToken({ username: "alice", jwt_token_id: input.tokenId, jwt_token_description: "ci", jwt_token_endpoints: ["GET /x"] });
    const verified = await verifyAccessToken(token, lookup(await specterKey(), await legacyKey()));
    expect(verified).toMatchObject({ ok: true, claims: { username: "alice", jti: input.tokenId, jwt_token_id: input.tokenId, jwt_token_description: "ci" } });
    // What Specter does not sign is dropped, and there is no sub to trust.
    expect(verified.ok && verified.claims).not.toHaveProperty("jwt_token_endpoints");
    expect(verified.ok && verified.claims.sub).toBeUndefined();
  });

  it("Specter's secret verifies nothing of ours, and our legacy secret nothing of Specter's", async () => {
    const specter = await specterKey();
    const ours = await signAccessToken({ ...input, issuer: undefined }, { kid: null, alg: "HS256", key: specter.key });
    expect(await verifyAccessToken(ours, lookup(specter, specter))).toEqual({ ok: false, reason: "invalid" });
    const legacy = await legacyKey();
    const shaped = await specterToken({ username: "alice", jwt_token_id: input.tokenId }, "k".repeat(32));
    expect(await verifyAccessToken(shaped, lookup(legacy, legacy))).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuse a missing or non-string id or username, another secret, and alg none", async () => {
    const keys = lookup(await specterKey(), await legacyKey());
    for (const claims of [{ username: "alice" }, { username: "alice", jwt_token_id: ["x"] }, { username: "", jwt_token_id: "x" }, { jwt_token_id: "x" }]) {
      expect(await verifyAccessToken(await specterToken(claims), keys)).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await verifyAccessToken(await specterToken({ username: "alice", jwt_token_id: "x" }, "another"), keys)).toEqual({ ok: false, reason: "invalid" });
    const token = await specterToken({ username: "alice", jwt_token_id: "x" });
    const none = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    expect(await verifyAccessToken(`${none}.${token.split(".")[1]}.`, keys)).toEqual({ ok: false, reason: "invalid" });
  });
});
