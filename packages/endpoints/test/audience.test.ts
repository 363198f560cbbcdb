import { describe, expect, it } from "vitest";
import { audienceAccepts, audienceClaim, audienceOfClaim, audienceWithin, MAX_AUDIENCES, parseAudience } from "../src/index.js";

describe("the audience rule", () => {
  it("takes absolute URIs and URNs as given (no normalising), a string or a list, duplicates dropped", () => {
    expect(parseAudience("https://api.example.com")).toEqual({ ok: true, audience: ["https://api.example.com"] });
    expect(parseAudience(["https://api.example.com/", "urn:example:billing", "https://api.example.com/"])).toEqual({
      ok: true,
      audience: ["https://api.example.com/", "urn:example:billing"],
    });
    for (const good of ["HTTPS://API.example.com:8443/v1?x=1", "urn:ietf:params:oauth:x", "spiffe://cluster/ns/api", "https://[2001:db8::1]/", "https://api.example.com/%7Euser"]) {
      expect(parseAudience(good).ok, good).toBe(true);
    }
  });

  it("refuses relative references, fragments, spaces, schemes without a host, bad URNs and escapes, and too many", () => {
    const bad: unknown[] = [
      "api.example.com", "/v1", "https://api.example.com#x", "https://a b", " https://api.example.com", "https:api", "https://", "urn:x",
      "urn::x", "https://api.example.com/%zz", "https://api.example.com/\u00e9", "https://api.example.com/\n", "", 7, null, {}, [], [1],
      "https://" + "a".repeat(MAX_AUDIENCES * 30), Array.from({ length: MAX_AUDIENCES + 1 }, (_, i) => `urn:example:${i}`),
    ];
    for (const value of bad) expect(parseAudience(value).ok, JSON.stringify(value)).toBe(false);
    expect(parseAudience(["urn:example:a", "nope"])).toEqual({ ok: false, message: expect.stringMatching(/^item 2 must be an absolute URI/) });
  });

  it("a child lies within its parent; a token is accepted when it names any required audience", () => {
    expect(audienceWithin(["a:b"], null)).toBe(true);
    expect(audienceWithin(null, null)).toBe(true);
    expect(audienceWithin(["a:b"], ["a:b", "c:d"])).toBe(true);
    expect(audienceWithin(["a:b", "e:f"], ["a:b", "c:d"])).toBe(false);
    expect(audienceWithin(null, ["a:b"])).toBe(false);
    expect(audienceAccepts(["a:b", "c:d"], ["x:y", "c:d"])).toBe(true);
    expect(audienceAccepts(["a:b"], ["x:y"])).toBe(false);
    expect(audienceAccepts(null, ["x:y"])).toBe(false);
  });

  it("signs one audience as a string and several as an array, and reads either back", () => {
    expect(audienceClaim(["a:b"])).toBe("a:b");
    expect(audienceClaim(["a:b", "c:d"])).toEqual(["a:b", "c:d"]);
    expect(audienceOfClaim("a:b")).toEqual(["a:b"]);
    expect(audienceOfClaim(["a:b"])).toEqual(["a:b"]);
    expect(audienceOfClaim([1])).toBeNull();
    expect(audienceOfClaim(undefined)).toBeNull();
  });
});
