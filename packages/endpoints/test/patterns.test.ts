import { describe, expect, it } from "vitest";
import {
  endpointAllowed,
  endpointMatches,
  endpointsCovered,
  MAX_PATH_LENGTH,
  MAX_PATTERN_LENGTH,
  parseEndpointPattern,
  patternCovers,
} from "../src/index.js";

describe("endpoint patterns", () => {
  it.each([
    ["GET /v1alpha/token/*", "GET /v1alpha/token/*"],
    ["  get   /v1alpha/token/  ", "GET /v1alpha/token/"],
    ["* /v1alpha/*", "* /v1alpha/*"],
    ["delete /api/items/*", "DELETE /api/items/*"],
  ])("parses %j", (input, pattern) => {
    expect(parseEndpointPattern(input)).toEqual({ ok: true, pattern });
  });

  it.each([["GET"], ["/v1alpha"], ["FETCH /x"], ["GET v1alpha"], [""], [42], ["GET /" + "a".repeat(300)]])("rejects %j", (input) => {
    expect(parseEndpointPattern(input).ok).toBe(false);
  });

  it.each([
    ["GET /v1alpha/token/*", "GET", "/v1alpha/token/", true],
    ["GET /v1alpha/token/*", "GET", "/v1alpha/token/abc", true],
    ["GET /v1alpha/token/*", "GET", "/v1alpha/token/abc/rotate", true],
    ["GET /v1alpha/token/*", "POST", "/v1alpha/token/", false],
    ["GET /v1alpha/token/*", "GET", "/v1alpha/tokens", false],
    ["* /v1alpha/token/", "DELETE", "/v1alpha/token/", true],
    ["GET /a.b", "GET", "/aXb", false],
    ["GET /items/*/read", "GET", "/items/42/read", true],
    ["GET /items/*/read", "GET", "/items/42/write", false],
  ])("%s matches %s %s: %s", (pattern, method, path, expected) => {
    expect(endpointMatches(pattern, method, path)).toBe(expected);
  });

  it("allows everything without a list, and only listed endpoints with one", () => {
    expect(endpointAllowed(null, "DELETE", "/anything")).toBe(true);
    expect(endpointAllowed(["GET /a/*", "POST /b"], "POST", "/b")).toBe(true);
    expect(endpointAllowed(["GET /a/*", "POST /b"], "POST", "/a/x")).toBe(false);
    expect(endpointAllowed([], "GET", "/a")).toBe(false);
  });

  it.each([
    ["GET /v1alpha/*", "GET /v1alpha/token/*", true],
    ["GET /v1alpha/token/*", "GET /v1alpha/*", false],
    ["* /v1alpha/*", "DELETE /v1alpha/token/x", true],
    ["GET /v1alpha/*", "* /v1alpha/x", false],
    ["GET /x*y", "GET /x*", false],
    ["GET /a/*", "GET /a/b*c", true],
    ["GET /a/b", "GET /a/*", false],
  ])("%s covers %s: %s", (parent, child, expected) => {
    expect(patternCovers(parent, child)).toBe(expected);
  });

  it("checks whole lists for escalation", () => {
    expect(endpointsCovered(null, null)).toBe(true);
    expect(endpointsCovered(null, ["GET /x"])).toBe(true);
    expect(endpointsCovered(["GET /x/*"], null)).toBe(false);
    expect(endpointsCovered(["GET /x/*", "POST /y"], ["GET /x/1", "POST /y"])).toBe(true);
    expect(endpointsCovered(["GET /x/*"], ["GET /x/1", "POST /y"])).toBe(false);
  });
});

describe("endpoint patterns: methods", () => {
  it.each([
    ["* /x", "GET", true],
    ["* /x", "OPTIONS", true],
    ["GET /x", "GET", true],
    ["GET /x", "get", false],
    ["GET /x", "Get", false],
    ["* /x", "get", true],
    ["GET /x", "POST", false],
    ["GET /x", "GETS", false],
    ["POST /x", "GET", false],
  ])("%s with method %s: %s", (pattern, method, expected) => {
    expect(endpointMatches(pattern, method, "/x")).toBe(expected);
  });

  it("matches the method and the path separately, never as one text", () => {
    // One glob over "METHOD path" matched "GET /*" against method "GET /a" and path "".
    expect(endpointMatches("GET /*", "GET", "/a")).toBe(true);
    expect(endpointMatches("GET /*", "GET /a", "")).toBe(false);
    expect(endpointMatches("G* /x", "GET", "/x")).toBe(false);
  });

  it("takes only ASCII letters as a method", () => {
    expect(parseEndpointPattern("po\u017Ft /x").ok).toBe(false); // ſ upper-cases to S
    expect(parseEndpointPattern("optıons /x").ok).toBe(false); // ı upper-cases to I
  });

  it("covers a method with * or with the same method only", () => {
    expect(patternCovers("* /x", "POST /x")).toBe(true);
    expect(patternCovers("* /x", "* /x")).toBe(true);
    expect(patternCovers("GET /x", "GET /x")).toBe(true);
    expect(patternCovers("GET /x", "POST /x")).toBe(false);
    expect(patternCovers("GET /*", "* /x")).toBe(false);
  });

  it("matches nothing with a pattern that is not METHOD /path", () => {
    expect(endpointMatches("GET", "GET", "/")).toBe(false);
    expect(patternCovers("GET", "GET /x")).toBe(false);
    expect(patternCovers("* /*", "GET")).toBe(false);
  });
});

describe("endpoint patterns: wildcards", () => {
  it.each([
    ["GET /a**b", "GET /a*b"],
    ["GET /***", "GET /*"],
    ["GET /a*b**c", "GET /a*b*c"],
  ])("writes %j as %j", (input, pattern) => {
    expect(parseEndpointPattern(input)).toEqual({ ok: true, pattern });
  });

  it.each([
    ["GET /a**b", "/ab", true],
    ["GET /a**b", "/a/x/b", true],
    ["GET /a**b", "/a", false],
    ["GET /*", "/", true],
    ["GET /*a", "/a", true],
    ["GET /a*a", "/a", false],
    ["GET /a*a", "/aa", true],
    ["GET /*ab*ab*", "/abab", true],
    ["GET /*ab*ab*", "/aba", false],
    ["GET /*aab", "/aaab", true],
  ])("%s matches %s: %s (also unnormalised)", (pattern, path, expected) => {
    expect(endpointMatches(pattern, "GET", path)).toBe(expected);
  });
});

describe("endpoint patterns: input checks", () => {
  it.each([
    ["GET /a\u0000b"],
    ["GET /a\u001fb"],
    ["GET /a\u007fb"],
    ["GET /a\tb"],
    ["GET /a\nb"],
    ["GET /a b"],
    ["GET /a\u00a0b"],
    ["GET /a\u2028b"],
    // C1: a terminal obeys U+009B as an escape's start; U+0085 (NEL) is no whitespace to \s.
    ["GET /a\u0085b"],
    ["GET /a\u009b2Jb"],
  ])("refuses a space or control character in the path: %j", (input) => {
    const result = parseEndpointPattern(input);
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('is not "METHOD /path"') });
  });

  it("shows a control character as an escape in the message", () => {
    const result = parseEndpointPattern("GET /a\u0000b");
    expect(result.ok ? "" : result.message).toBe(String.raw`"GET /a\u0000b" is not "METHOD /path": the path must not contain spaces or control characters`);
  });

  it("accepts whitespace around the pattern and between method and path", () => {
    expect(parseEndpointPattern("\tget\t /x \n")).toEqual({ ok: true, pattern: "GET /x" });
  });

  it("accepts a pattern of the maximum length and refuses one longer", () => {
    const longest = `GET /${"a".repeat(MAX_PATTERN_LENGTH - 5)}`;
    expect(parseEndpointPattern(longest)).toEqual({ ok: true, pattern: longest });
    expect(parseEndpointPattern(`${longest}a`)).toMatchObject({ ok: false, message: expect.stringContaining("is longer than 200 characters") });
  });

  it("measures the length after normalising, up to twice the maximum raw", () => {
    const stars = `GET /${"*".repeat(MAX_PATTERN_LENGTH)}`;
    expect(parseEndpointPattern(stars)).toEqual({ ok: true, pattern: "GET /*" });
    expect(parseEndpointPattern(`${" ".repeat(2 * MAX_PATTERN_LENGTH - 6)}GET /`)).toEqual({ ok: true, pattern: "GET /" });
  });

  it("refuses an oversized raw input before looking at it", () => {
    const huge = `${" ".repeat(10_000_000)}GET /x`;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect(parseEndpointPattern(huge)).toMatchObject({ ok: false, message: expect.stringContaining("is longer than") });
      times.push(performance.now() - started);
    }
    // The fastest of five: a busy machine may stall one call, never all five.
    expect(Math.min(...times)).toBeLessThan(50);
  });

  it("refuses a request path longer than MAX_PATH_LENGTH, even for *", () => {
    expect(endpointMatches("* /*", "GET", `/${"a".repeat(MAX_PATH_LENGTH - 1)}`)).toBe(true);
    expect(endpointMatches("* /*", "GET", `/${"a".repeat(MAX_PATH_LENGTH)}`)).toBe(false);
  });
});
