import { pbkdf2Sync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  hashPassword,
  verifyPassword,
  DECOY_PASSWORD_HASH,
  remainingSeconds,
  expiryStatus,
  isSpecterPassword,
  NO_PASSWORD_HASH,
  passwordNeedsUpgrade,
  wrapSpecterPassword,
} from "../src/index.js";

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

describe("Specter Desktop passwords", () => {
  // Made by Specter's hash_password("alice-password-1") (its users.json: {salt, pwdhash}).
  const specter = { salt: "YJ8u3ZSYhnwBHTm1tUIs4dyc5gk6ZX09BbVBSpo8ju0=", pwdhash: "" };
  beforeAll(() => {
    specter.pwdhash = pbkdf2Sync("alice-password-1", Buffer.from(specter.salt, "utf8"), 10_000, 32, "sha256").toString("base64");
  });

  it("are kept wrapped in scrypt, never as the PBKDF2 digest, and verify with the same password", async () => {
    const stored = await wrapSpecterPassword(specter);
    expect(stored).toMatch(/^specter-pbkdf2\$10000\$[\w-]+\$scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain(specter.pwdhash);
    expect(stored).not.toContain(Buffer.from(specter.pwdhash, "base64").toString("base64url"));
    expect(await verifyPassword("alice-password-1", stored)).toBe(true);
    expect(await verifyPassword("alice-password-2", stored)).toBe(false);
    expect(passwordNeedsUpgrade(stored)).toBe(true);
    expect(passwordNeedsUpgrade(await hashPassword("x"))).toBe(false);
  });

  it("recognise Specter's default password, and refuse what is no Specter hash", async () => {
    const admin = { salt: "c2FsdA==", pwdhash: pbkdf2Sync("admin", Buffer.from("c2FsdA==", "utf8"), 10_000, 32, "sha256").toString("base64") };
    expect(await isSpecterPassword("admin", admin)).toBe(true);
    expect(await isSpecterPassword("admin", specter)).toBe(false);
    await expect(wrapSpecterPassword({ salt: "x", pwdhash: "c2hvcnQ=" })).rejects.toThrow(/32-byte/);
  });

  it("a user with no password, or a malformed hash, never signs in", async () => {
    expect(await verifyPassword("", NO_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword("none", NO_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword("x", "specter-pbkdf2$0$x$scrypt$1$1$1$a$b")).toBe(false);
    expect(passwordNeedsUpgrade(NO_PASSWORD_HASH)).toBe(false);
  });
});
