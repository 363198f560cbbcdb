import { describe, expect, it } from "vitest";
import { dpopTarget } from "../src/index.js";

describe("dpopTarget (RFC 9449 §4.3 htu)", () => {
  it.each([
    ["https://API.example.com/v1alpha/token", "https://api.example.com/v1alpha/token"],
    ["HTTPS://api.example.com:443/v1alpha/token?x=1#f", "https://api.example.com/v1alpha/token"],
    ["http://api.example.com:80/a", "http://api.example.com/a"],
    ["http://api.example.com:8080/a", "http://api.example.com:8080/a"],
    ["http://api.example.com:08080/a", "http://api.example.com:8080/a"],
    ["http://127.0.0.1:3000", "http://127.0.0.1:3000/"],
    ["http://[::1]:3000/a%20b", "http://[::1]:3000/a b"],
  ])("%s is %s", (url, target) => expect(dpopTarget(url)).toEqual({ ok: true, target }));

  it("keeps what servers may tell apart: path case, a trailing slash, another port", () => {
    const base = dpopTarget("https://api.example.com/a/b");
    expect(dpopTarget("https://api.example.com/A/b")).not.toEqual(base);
    expect(dpopTarget("https://api.example.com/a/b/")).not.toEqual(base);
    expect(dpopTarget("https://api.example.com:8443/a/b")).not.toEqual(base);
    expect(dpopTarget("http://api.example.com/a/b")).not.toEqual(base);
  });

  it.each([
    "https://api.example.com/a/../b",
    "https://api.example.com/a/%2e%2e/b",
    "https://api.example.com/a/./b",
    "https://api.example.com//b",
    "https://api.example.com/a%2Fb",
    "https://user:pw@api.example.com/a",
    "https://api.example.com:99999/a",
    "https://api.example.com:0/a",
    "ftp://api.example.com/a",
    "/a/b",
    "https:///a",
    "",
  ])("refuses %s", (url) => expect(dpopTarget(url).ok).toBe(false));
});
