import { describe, expect, it } from "vitest";
import { endpointAllowed, endpointMatches, endpointsCovered, parseEndpointPattern, patternCovers } from "../src/index.js";

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
