import { describe, expect, it } from "vitest";
import { FailureLimiter } from "../src/auth/rate-limit.js";
import { createCaller } from "../src/root.js";
import { createContextInner } from "../src/context/index.js";
import { createTestEnv } from "./support.js";

describe("FailureLimiter", () => {
  it("blocks after the maximum within the window and frees the key when the window passes", () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter("k")).toBe(0);
      limiter.fail("k");
    }
    expect(limiter.retryAfter("k")).toBe(60);
    expect(limiter.retryAfter("other")).toBe(0);
    now += 30_000;
    expect(limiter.retryAfter("k")).toBe(30);
    now += 30_001;
    expect(limiter.retryAfter("k")).toBe(0);
  });
});

describe("sign-in rate limit", () => {
  it("limits per IP across usernames, and per username across IPs", async () => {
    const env = await createTestEnv();
    await env.addUser("alice", "alice-pass");
    await env.addUser("bob", "bob-pass");
    const from = (ip: string) => createCaller(createContextInner({ ...env.services, request: { ip } }));
    // One IP spraying many usernames.
    for (const username of ["u1", "u2", "u3", "u4", "u5"]) {
      await expect(from("10.0.0.1").auth.login({ username, password: "x" })).rejects.toThrow("Invalid username or password");
    }
    await expect(from("10.0.0.1").auth.login({ username: "bob", password: "bob-pass" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    // Many IPs guessing one username.
    for (let i = 0; i < 5; i++) {
      await expect(from(`10.0.1.${i}`).auth.login({ username: "alice", password: "x" })).rejects.toThrow();
    }
    await expect(from("10.0.2.1").auth.login({ username: "alice", password: "alice-pass" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
    });
    // Bob, from a fresh IP, is unaffected.
    expect(await from("10.0.3.1").auth.login({ username: "bob", password: "bob-pass" })).toMatchObject({ username: "bob" });
    await env.close();
  });
});
