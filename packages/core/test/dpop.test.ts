import { describe, expect, it } from "vitest";
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { checkDpopProof } from "../src/dpop.js";

/**
 * The proof checks as an abuser probes them: each proof here is signed for real (jose), and each
 * differs from an accepted one in one way only.
 */
const URL_ = "https://api.example.com/v1alpha/token/self";
const TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0.sig";
const now = () => Math.floor(Date.now() / 1000);
const ath = async (token: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))));

async function keyPair(alg = "ES256") {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk), privateJwk: await exportJWK(privateKey) };
}

async function proof(over: { header?: Record<string, unknown>; claims?: Record<string, unknown>; alg?: string } = {}, key?: Awaited<ReturnType<typeof keyPair>>) {
  const k = key ?? (await keyPair());
  const claims = { jti: crypto.randomUUID(), htm: "GET", htu: URL_, iat: now(), ath: await ath(TOKEN), ...over.claims };
  const signed = await new SignJWT(claims).setProtectedHeader({ alg: over.alg ?? "ES256", typ: "dpop+jwt", jwk: k.jwk, ...over.header }).sign(k.privateKey);
  return { proof: signed, key: k };
}
const check = (text: string, over: Partial<Parameters<typeof checkDpopProof>[0]> = {}) =>
  checkDpopProof({ proof: text, method: "GET", url: URL_, accessToken: TOKEN, now: now(), windowSeconds: 60, ...over });

describe("checkDpopProof", () => {
  it("accepts a proof by the bound key for this request and token, whatever the URL's query", async () => {
    const { proof: text, key } = await proof({ claims: { htu: `${URL_}?a=1#f` } });
    expect(await check(text, { jkt: key.jkt, url: `${URL_}?b=2` })).toMatchObject({ ok: true, jkt: key.jkt });
  });

  it("refuses alg none and HS256, whatever the header says", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "dpop+jwt", jwk: (await keyPair()).jwk }));
    const payload = base64url.encode(JSON.stringify({ jti: "x", htm: "GET", htu: URL_, iat: now(), ath: await ath(TOKEN) }));
    expect(await check(`${header}.${payload}.`)).toMatchObject({ ok: false, error: "invalid_dpop_proof" });
    const secret = new TextEncoder().encode("s".repeat(32));
    // A symmetric key as jwk: jose's types forbid it, which is the point of the test.
    const octJwk = { kty: "oct", k: base64url.encode(secret) };
    const hs = await new SignJWT({ jti: "y", htm: "GET", htu: URL_, iat: now(), ath: await ath(TOKEN) })
      .setProtectedHeader({ alg: "HS256", typ: "dpop+jwt", jwk: octJwk })
      .sign(secret);
    expect(await check(hs)).toMatchObject({ ok: false, reason: "the DPoP proof's alg is not an accepted asymmetric algorithm" });
  });

  it("refuses a private key in jwk, a missing jwk, another typ, a signature by another key than jwk", async () => {
    const key = await keyPair();
    expect(await check((await proof({ header: { jwk: key.privateJwk } }, key)).proof)).toMatchObject({ ok: false, reason: "the DPoP proof's jwk is not a public key" });
    expect(await check((await proof({ header: { jwk: undefined } })).proof)).toMatchObject({ ok: false });
    expect(await check((await proof({ header: { typ: "JWT" } })).proof)).toMatchObject({ ok: false });
    const other = await keyPair();
    expect(await check((await proof({ header: { jwk: other.jwk } }, key)).proof)).toMatchObject({ ok: false, reason: "the DPoP proof's signature does not verify" });
  });

  it("refuses another method (in another case too) and URLs a server could tell apart or that it refuses", async () => {
    const { proof: text } = await proof();
    expect(await check(text, { method: "get" })).toMatchObject({ ok: false, reason: "the DPoP proof is for another method" });
    for (const url of [
      "https://api.example.com/v1alpha/token/self/",
      "https://api.example.com/v1alpha/token/SELF",
      "https://api.example.com:8443/v1alpha/token/self",
      "http://api.example.com/v1alpha/token/self",
      "https://api.example.com/v1alpha/token/x/../self",
      "https://api.example.com/v1alpha/token/./self",
      "https://evil.example/v1alpha/token/self",
    ]) {
      expect(await check(text, { url }), url).toMatchObject({ ok: false, reason: "the DPoP proof is for another URL" });
    }
    // A proof naming a dot-segment path never matches, even the path it resolves to.
    const dotted = (await proof({ claims: { htu: "https://api.example.com/v1alpha/token/x/../self" } })).proof;
    expect(await check(dotted)).toMatchObject({ ok: false, reason: "the DPoP proof is for another URL" });
    // Case of scheme and host, and a default port, are the same URL to every server.
    const upper = (await proof({ claims: { htu: "HTTPS://API.example.com:443/v1alpha/token/self" } })).proof;
    expect(await check(upper)).toMatchObject({ ok: true });
  });

  it("refuses an iat outside the window either way, an ath of another token, and another key than the token's", async () => {
    // One clock for the proof and the check: a second that ticks between them must not move the edge.
    const at = now();
    expect(await check((await proof({ claims: { iat: at - 61 } })).proof, { now: at })).toMatchObject({ ok: false });
    expect(await check((await proof({ claims: { iat: at + 61 } })).proof, { now: at })).toMatchObject({ ok: false });
    expect(await check((await proof({ claims: { iat: at - 60 } })).proof, { now: at })).toMatchObject({ ok: true });
    expect(await check((await proof({ claims: { iat: at + 60 } })).proof, { now: at })).toMatchObject({ ok: true });
    expect(await check((await proof({ claims: { iat: "1" } })).proof)).toMatchObject({ ok: false });
    expect(await check((await proof({ claims: { ath: await ath("another") } })).proof)).toMatchObject({ ok: false, reason: "the DPoP proof's ath is not the hash of this token" });
    expect(await check((await proof({ claims: { ath: undefined } })).proof)).toMatchObject({ ok: false });
    const { proof: text } = await proof();
    expect(await check(text, { jkt: (await keyPair()).jkt })).toMatchObject({ ok: false, error: "invalid_token" });
  });

  it("names a proof for replay by its key and jti, and remembers it until its iat leaves the window", async () => {
    const key = await keyPair();
    const iat = now();
    const first = await check((await proof({ claims: { jti: "same", iat } }, key)).proof);
    const again = await check((await proof({ claims: { jti: "same", iat } }, key)).proof);
    const otherKey = await check((await proof({ claims: { jti: "same", iat } })).proof);
    if (!first.ok || !again.ok || !otherKey.ok) throw new Error("refused");
    expect(again.replayKey).toBe(first.replayKey);
    expect(otherKey.replayKey).not.toBe(first.replayKey);
    expect(first.rememberUntil).toBe((iat + 61) * 1000);
    expect(await check((await proof({ claims: { jti: "j".repeat(257) } })).proof)).toMatchObject({ ok: false });
  });
});
