import { describe, expect, it } from "vitest";
import { VerifiedTokenCache } from "../src/auth/verified-tokens.js";

const claims = (exp: number) => ({ sub: "user-1", jti: "token-1", iat: 0, exp }) as never;
const entry = (token: string, exp = 2_000_000_000) => ({ token, claims: claims(exp), tokenHash: "h" });

describe("verified-token cache", () => {
  it("hits only for the byte-identical token: the same signature under another header or payload misses", () => {
    const cache = new VerifiedTokenCache();
    cache.set(entry("aaa.bbb.signature"));
    expect(cache.get("aaa.bbb.signature", 1)?.token).toBe("aaa.bbb.signature");
    expect(cache.get("aaa.bbX.signature", 1)).toBeUndefined();
    expect(cache.get("Xaa.bbb.signature", 1)).toBeUndefined();
    expect(cache.get("signature", 1)).toBeUndefined();
    expect(cache.get("aaa.bbb.signaturX", 1)).toBeUndefined();
  });

  it("drops an expired entry when asked, and the oldest when full", () => {
    const cache = new VerifiedTokenCache(2);
    cache.set(entry("a.a.1", 100));
    expect(cache.get("a.a.1", 100)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set(entry("a.a.2"));
    cache.set(entry("a.a.3"));
    cache.set(entry("a.a.4"));
    expect(cache.size).toBe(2);
    expect(cache.get("a.a.2", 1)).toBeUndefined();
    expect(cache.get("a.a.4", 1)?.token).toBe("a.a.4");
  });
});
