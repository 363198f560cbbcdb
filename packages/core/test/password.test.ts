import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword, DECOY_PASSWORD_HASH, remainingSeconds, expiryStatus } from "../src/index.js";

describe("passwords", () => {
  it("hash with a random salt and verify", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsE", a)).toBe(false);
  });

  it("never matches the decoy or a malformed hash", async () => {
    expect(await verifyPassword("", DECOY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword("x", "plain-text")).toBe(false);
  });
});

describe("expiry", () => {
  it("reports remaining seconds as a float and the status", () => {
    const now = 1_000_000;
    expect(remainingSeconds(new Date(now + 1500), now)).toBe(1.5);
    expect(remainingSeconds(new Date(now - 1500), now)).toBe(0);
    expect(expiryStatus(new Date(now + 1), now)).toBe("Valid");
    expect(expiryStatus(new Date(now), now)).toBe("Expired");
  });
});
