import net from "node:net";
import { describe, expect, it } from "vitest";
import { addressAllowed, allowlistWithin, formatRange, parseAddress, parseAllowlist, parseRange } from "../src/index.js";

const range = (text: string) => {
  const parsed = parseRange(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.range;
};

describe("IP allowlists", () => {
  it("parses IPv4, IPv6, compressed IPv6 and IPv4-mapped IPv6, and nothing else", () => {
    for (const good of ["203.0.113.7", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "::ffff:203.0.113.7", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4"]) {
      expect(parseAddress(good), good).not.toBeNull();
    }
    for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-1", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "fe80::1%eth0", "[::1]", "1.2.3.4::", "::1.2.3.4:5", " 1.2.3.4", "1.2.3.4/24"]) {
      expect(parseAddress(bad), bad).toBeNull();
    }
  });

  it("agrees with node:net on what is an address, and with the URL parser on the canonical IPv6 form", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const groups = Array.from({ length: 8 }, () => (random() < 0.4 ? 0 : Math.floor(random() * 65536)).toString(16));
      const text = groups.join(":");
      const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
      if (canonical.startsWith("::ffff:")) continue; // shown as IPv4 here, on purpose
      expect(formatRange({ bytes: parseAddress(text)!, prefix: 128 }), text).toBe(canonical);
    }
    const alphabet = "0123456789abcdef:.";
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: 2 + Math.floor(random() * 14) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      expect(parseAddress(text) !== null, text).toBe(net.isIP(text) !== 0);
    }
  });

  it("keeps ranges in canonical form and refuses host bits past the prefix, with a suggestion", () => {
    expect(parseRange("203.0.113.0/24")).toMatchObject({ ok: true, canonical: "203.0.113.0/24" });
    expect(parseRange("198.51.100.7")).toMatchObject({ ok: true, canonical: "198.51.100.7" });
    expect(parseRange("2001:0DB8::/32")).toMatchObject({ ok: true, canonical: "2001:db8::/32" });
    expect(parseRange("::ffff:203.0.113.0/120")).toMatchObject({ ok: true, canonical: "203.0.113.0/24" });
    expect(parseRange("203.0.113.5/24")).toEqual({ ok: false, message: expect.stringContaining("did you mean 203.0.113.0/24") });
    expect(parseRange("10.0.0.0/33")).toMatchObject({ ok: false });
    expect(parseRange("2001:db8::/129")).toMatchObject({ ok: false });
    expect(parseRange("10.0.0.0/08")).toMatchObject({ ok: false });
    expect(parseAllowlist([])).toMatchObject({ ok: false });
    expect(parseAllowlist(["10.0.0.0/8", "10.0.0.0/8", "2001:db8::/32"])).toMatchObject({ ok: true, canonical: ["10.0.0.0/8", "2001:db8::/32"] });
  });

  it("matches a caller's address: IPv4 and its IPv4-mapped form alike, IPv6 by prefix", () => {
    const list = [range("203.0.113.0/24"), range("2001:db8::/32")];
    expect(addressAllowed(list, "203.0.113.200")).toBe(true);
    expect(addressAllowed(list, "::ffff:203.0.113.200")).toBe(true);
    expect(addressAllowed(list, "203.0.114.1")).toBe(false);
    expect(addressAllowed(list, "2001:db8:ffff::1")).toBe(true);
    expect(addressAllowed(list, "2001:db9::1")).toBe(false);
    expect(addressAllowed(list, "not an address")).toBe(false);
    expect(addressAllowed(list, null)).toBe(false);
    expect(addressAllowed([range("0.0.0.0/0")], "::1")).toBe(false);
    expect(addressAllowed([range("::/0")], "::1")).toBe(true);
    expect(addressAllowed([range("10.1.2.0/23")], "10.1.3.255")).toBe(true);
    expect(addressAllowed([range("10.1.2.0/23")], "10.1.4.0")).toBe(false);
  });

  it("a child's list must lie within its parent's", () => {
    const parent = [range("203.0.113.0/24"), range("2001:db8::/32")];
    expect(allowlistWithin([range("203.0.113.128/25"), range("2001:db8:1::/48")], parent)).toBe(true);
    expect(allowlistWithin([range("203.0.113.7")], parent)).toBe(true);
    expect(allowlistWithin([range("203.0.112.0/23")], parent)).toBe(false);
    expect(allowlistWithin([range("2001:db8::/31")], parent)).toBe(false);
  });
});
