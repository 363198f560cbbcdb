import { describe, expect, it } from "vitest";
import { checkWebhookUrl, forbiddenAddress, vetHost } from "../src/webhooks/url-policy.js";
import { nextAttemptAt } from "../src/webhooks/backoff.js";

describe("webhook addresses", () => {
  const internal = [
    "127.0.0.1", "127.255.0.9", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fc00::1", "fd12:3456::1",
    "169.254.10.10", "fe80::1", "100.64.0.1", "100.127.255.255",
    // IPv4-mapped and NAT64 spellings of internal IPv4 addresses.
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.1.1", "64:ff9b::a00:1", "::a00:1",
    // Local NAT64, SIIT, 6to4 and Teredo carry an IPv4 address of the sender's choosing; site-local.
    "64:ff9b:1::7f00:1", "::ffff:0:7f00:1", "2002:7f00:1::1", "2001:0:4136:e378::1", "fec0::1",
  ];
  const never = [
    "0.0.0.0", "::ffff:169.254.169.254", "::", "224.0.0.1", "ff02::1", "169.254.169.254", "fd00:ec2::254", "255.255.255.255",
    // Other clouds' metadata and credential services, and the metadata address through NAT64.
    "169.254.170.2", "fd00:ec2::23", "100.100.100.200", "192.0.0.192", "64:ff9b::a9fe:a9fe", "::a9fe:a9fe",
  ];
  const fine = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "100.128.0.1", "172.32.0.1", "::ffff:93.184.216.34"];

  it("refuses loopback, private, link-local, CGNAT and their IPv4-mapped forms unless private receivers are allowed", () => {
    for (const address of internal) {
      expect(forbiddenAddress(address, false), address).toMatch(/loopback, private.*WEBHOOK_ALLOW_PRIVATE=1 allows it.*aim webhooks at this server's network/);
      expect(forbiddenAddress(address, true), address).toBeNull();
    }
  });

  it("always refuses unspecified, multicast and metadata addresses", () => {
    for (const address of never) {
      expect(forbiddenAddress(address, false), address).toMatch(/unspecified, multicast or metadata/);
      expect(forbiddenAddress(address, true), address).toMatch(/unspecified, multicast or metadata/);
    }
  });

  it("lets public addresses through", () => {
    for (const address of fine) expect(forbiddenAddress(address, false), address).toBeNull();
  });
});

describe("webhook URLs", () => {
  it("must be https (http only with WEBHOOK_ALLOW_PRIVATE), without credentials or fragments, not too long", () => {
    expect(checkWebhookUrl("https://example.com/hook", false)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("https://example.com:8443/hook", false)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://example.com/hook", false)).toEqual({ ok: false, message: expect.stringMatching(/^must be an https:\/\/ URL: http:\/\/ would send events unencrypted\. WEBHOOK_ALLOW_PRIVATE=1 allows it/) });
    expect(checkWebhookUrl("ftp://example.com/hook", false)).toEqual({ ok: false, message: "must be an https:// URL" });
    expect(checkWebhookUrl("http://example.com/hook", true)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("https://u:p@example.com/", false)).toMatchObject({ ok: false, message: expect.stringMatching(/credentials/) });
    expect(checkWebhookUrl("https://example.com/#x", false)).toMatchObject({ ok: false });
    expect(checkWebhookUrl(`https://example.com/${"a".repeat(2048)}`, false)).toMatchObject({ ok: false, message: expect.stringMatching(/2048/) });
    expect(checkWebhookUrl("file:///etc/passwd", true)).toMatchObject({ ok: false });
  });

  it("refuses IP literals in any spelling the URL parser accepts", () => {
    for (const url of ["https://127.0.0.1/", "https://2130706433/", "https://0x7f.1/", "https://[::ffff:127.0.0.1]/", "https://[::1]:8443/", "https://169.254.169.254/latest/meta-data"]) {
      expect(checkWebhookUrl(url, false), url).toMatchObject({ ok: false, message: expect.stringMatching(/must not point to/) });
    }
  });

  it("resolves host names and refuses one that resolves to an internal address", async () => {
    const local = await vetHost(new URL("https://localhost/"), false);
    expect(local).toMatchObject({ ok: false, message: expect.stringMatching(/^localhost resolves to .* loopback/) });
    // The kind of address, never the address: the message reaches whoever saved the URL.
    expect((local as { message: string }).message).not.toMatch(/127\.0\.0\.1|::1/);
    expect(await vetHost(new URL("https://localhost/"), true)).toMatchObject({ ok: true });
    expect(await vetHost(new URL("https://no-such-host.invalid/"), true)).toMatchObject({ ok: false, message: expect.stringMatching(/does not resolve/) });
  });
});

describe("retry backoff", () => {
  it("grows 1, 6, 24, 120, 360, 720, 1440 times the base, ±20%, and stops at the deadline", () => {
    const base = 5000;
    const steps = [1, 6, 24, 120, 360, 720, 1440, 1440];
    steps.forEach((step, i) => {
      const delay = nextAttemptAt(i + 1, 0, base, Infinity)!;
      expect(delay, `attempt ${i + 1}`).toBeGreaterThanOrEqual(step * base * 0.8);
      expect(delay, `attempt ${i + 1}`).toBeLessThanOrEqual(step * base * 1.2);
    });
    expect(nextAttemptAt(7, 0, base, 60_000)).toBeNull();
  });
});
