import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { code, createTestEnv, refusal, type TestEnv } from "./support.js";

let env: TestEnv;
beforeEach(async () => {
  env = await createTestEnv();
});
afterEach(() => env.close());


async function setUp() {
  const admin = env.as(await env.addUser("root", "root-password-1", true));
  const bob = env.as(await env.addUser("bob", "bob-password-1"));
  await admin.serviceAccount.create({ name: "ci-bot", description: "" });
  return { admin, bob };
}

describe("token policies", () => {
  it("server-wide rules bind create on every path, naming the policy; an account's own rule replaces the server's", async () => {
    const { admin, bob } = await setUp();
    await admin.policy.set({ maxLife: "7 days", requireEndpoints: true, maxRateLimit: { requests: 100, per: "1 minute" } });
    const ok = { description: "t", life: "7 days", endpoints: ["GET /api/*"], rateLimit: { requests: 10, per: "1 minute" } };
    expect(await refusal(bob.token.create({ ...ok, life: "8 days" }))).toBe(
      "BAD_REQUEST: the server-wide token policy allows a lifetime of at most 7 days (this one: 8 days)",
    );
    expect(await refusal(bob.token.create({ ...ok, endpoints: undefined }))).toBe("BAD_REQUEST: the server-wide token policy requires a token to name its endpoints");
    expect(await refusal(bob.token.create({ ...ok, rateLimit: null }))).toMatch(/^BAD_REQUEST: the server-wide token policy requires a rate limit no looser than 100 requests per 1 minute/);
    // 2 per second is a higher rate than 100 per minute, though fewer in one window.
    expect(await refusal(bob.token.create({ ...ok, rateLimit: { requests: 2, per: "1 second" } }))).toMatch(/rate limit no looser/);
    expect(await code(bob.token.create(ok))).toBe("OK");
    // The service account's own rule: a year, but an allowlist; its issuer meets its policy.
    await admin.policy.set({ account: "ci-bot", maxLife: "365 days", requireAllowedIps: true });
    const forCi = { ...ok, name: "ci-bot", life: "100 days" };
    expect(await refusal(admin.serviceAccount.issueToken(forCi))).toBe('BAD_REQUEST: the token policy of "ci-bot" requires an IP allowlist');
    expect(await code(admin.serviceAccount.issueToken({ ...forCi, allowedIps: ["10.0.0.0/8"] }))).toBe("OK");
    expect(await code(bob.token.create({ ...ok, life: "100 days" }))).toBe("BAD_REQUEST");
    expect(await bob.policy.effective()).toMatchObject({
      lines: ["Lifetime at most 7 days", "Endpoints must be named", "Rate limit no looser than 100 requests per 1 minute"],
    });
    expect((await admin.policy.effective({ account: "ci-bot" })).lines).toContain("An IP allowlist is required");
    // Each rule with the policy it comes from: the dialog judges a draft by them with core's rule.
    expect((await admin.policy.effective({ account: "ci-bot" })).rules).toEqual({
      maxLifeSeconds: { value: 365 * 86400, policy: 'the token policy of "ci-bot"' },
      requireEndpoints: { value: true, policy: "the server-wide token policy" },
      requireAllowedIps: { value: true, policy: 'the token policy of "ci-bot"' },
      maxRateLimit: { value: { requests: 100, windowSeconds: 60 }, policy: "the server-wide token policy" },
      noRotationOverlap: null,
    });
    expect(await code(bob.policy.set({ maxLife: "1 year" }))).toBe("FORBIDDEN");
  });

  it("a token's child tokens and rotations meet it too; no overlap when the policy says so", async () => {
    const { admin, bob } = await setUp();
    const parent = await bob.token.create({ description: "parent", life: "30 days" });
    await admin.policy.set({ maxLife: "1 day", requireAllowedIps: true, allowRotationOverlap: false });
    // A child made by the token (Bearer): same rules as its user.
    const asToken = await env.bearer(parent.token);
    expect(await refusal(asToken.token.create({ description: "child", life: "2 days", allowedIps: ["10.0.0.1"] }))).toMatch(/at most 1 day/);
    expect(await code(asToken.token.create({ description: "child", life: "1 day", allowedIps: ["10.0.0.1"] }))).toBe("OK");
    // Rotating keeps the old 30-day lifetime and no allowlist: both now refused, by name.
    expect(await refusal(bob.token.rotate({ id: parent.id }))).toBe(
      "BAD_REQUEST: the server-wide token policy allows a lifetime of at most 1 day (this one: 30 days); the server-wide token policy requires an IP allowlist",
    );
    await admin.policy.set({ maxLife: null });
    expect(await refusal(bob.token.rotate({ id: parent.id, allowedIps: ["10.0.0.1"], overlap: "5 minutes" }))).toBe(
      "BAD_REQUEST: the server-wide token policy allows no rotation overlap: the old token must stop at once",
    );
    expect(await code(bob.token.rotate({ id: parent.id, allowedIps: ["10.0.0.1"] }))).toBe("OK");
  });

  it("changing a policy ends no token: an administrator lists those that break it", async () => {
    const { admin, bob } = await setUp();
    const long = await bob.token.create({ description: "long", life: "30 days" });
    const narrow = await bob.token.create({ description: "narrow", life: "1 day", endpoints: ["GET /x"] });
    const ci = await admin.serviceAccount.issueToken({ name: "ci-bot", description: "ci", life: "1 day" });
    expect((await admin.policy.violations()).tokens).toEqual([]);
    await admin.policy.set({ maxLife: "7 days" });
    await admin.policy.set({ account: "ci-bot", requireEndpoints: true });
    const { tokens } = await admin.policy.violations();
    expect(tokens.map((t) => [t.id, t.username, t.accountType, t.breaches]).sort()).toEqual(
      [
        [long.id, "bob", "person", ["the server-wide token policy allows a lifetime of at most 7 days (this one: 30 days)"]],
        [ci.id, "ci-bot", "service", ['the token policy of "ci-bot" requires a token to name its endpoints']],
      ].sort(),
    );
    expect(tokens.map((t) => t.id)).not.toContain(narrow.id);
    expect(await (await env.bearer(long.token)).token.self()).toMatchObject({ tokenId: long.id });
    expect((await admin.policy.violations({ account: "bob", limit: 1 })).tokens.map((t) => t.id)).toEqual([long.id]);
    expect(await code(bob.policy.violations())).toBe("FORBIDDEN");
  });
});
