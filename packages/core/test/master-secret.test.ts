import { describe, expect, it } from "vitest";
import { MasterSecret } from "../src/index.js";

describe("the master secret", () => {
  const secret = MasterSecret.from(MasterSecret.generate());

  it("seals and opens, bound to its context", () => {
    const sealed = secret.seal(Buffer.from("private key bytes"), "key:abc:ES256");
    expect(sealed).not.toContain("private");
    expect(secret.open(sealed, "key:abc:ES256").toString()).toBe("private key bytes");
    expect(() => secret.open(sealed, "key:other:ES256")).toThrow(/does not open/);
    expect(() => MasterSecret.from(MasterSecret.generate()).open(sealed, "key:abc:ES256")).toThrow(/does not open/);
    const [v, iv, body, tag] = sealed.split(".");
    const flipped = `${v}.${iv}.${body!.slice(0, -2)}${body!.at(-2) === "A" ? "B" : "A"}${body!.slice(-1)}.${tag}`;
    expect(() => secret.open(flipped, "key:abc:ES256")).toThrow();
  });

  it("seals the same plaintext differently each time, and derives separate keys per purpose", () => {
    expect(secret.seal(Buffer.from("x"), "c")).not.toBe(secret.seal(Buffer.from("x"), "c"));
    expect(secret.derive("a").equals(secret.derive("b"))).toBe(false);
    expect(secret.derive("a").equals(secret.derive("a"))).toBe(true);
  });

  it("refuses a short secret", () => {
    expect(() => MasterSecret.from("short")).toThrow(/at least 32/);
  });
});
