import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("WEBHOOK_* settings", () => {
  it("default to a 10 s timeout, a 1 minute lease, retries from 5 s for a day, notices 7 days and 1 day ahead", () => {
    expect(loadConfig({}).webhooks).toEqual({
      allowPrivate: false,
      retryBaseMs: 5000,
      retryForMs: 86_400_000,
      timeoutMs: 10_000,
      leaseMs: 60_000,
      pollMs: 5000,
      expiryNoticeSeconds: [7 * 86_400, 86_400],
    });
  });

  it("can be shortened for tests, and WEBHOOK_ALLOW_PRIVATE takes 1/true", () => {
    const webhooks = loadConfig({ WEBHOOK_EXPIRY_NOTICES: "2 seconds, 4 seconds", WEBHOOK_RETRY_BASE: "1 second", WEBHOOK_ALLOW_PRIVATE: "true" }).webhooks;
    expect(webhooks.expiryNoticeSeconds).toEqual([4, 2]);
    expect(webhooks.retryBaseMs).toBe(1000);
    expect(webhooks.allowPrivate).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: "0" }).webhooks.allowPrivate).toBe(false);
  });

  it("refuses what cannot work, with the setting's name", () => {
    expect(() => loadConfig({ WEBHOOK_LEASE: "5 seconds" })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBHOOK_LEASE: "5 seconds" })).toThrow(/WEBHOOK_LEASE must be longer than WEBHOOK_TIMEOUT/);
    expect(() => loadConfig({ WEBHOOK_EXPIRY_NOTICES: "7 days,soon" })).toThrow(/^WEBHOOK_EXPIRY_NOTICES:/);
    expect(() => loadConfig({ WEBHOOK_RETRY_BASE: "never" })).toThrow(/^WEBHOOK_RETRY_BASE:/);
  });
});
