import { describe, expect, it } from "vitest";
import { sha256Hex } from "@tokensmith/core";
import { ConfigError, loadConfig } from "../src/config.js";
import { feedAccess } from "../src/revocations/feed-access.js";

const KEY = "k".repeat(32);

describe("REVOCATION_FEED_* and MAX_TOKENS_PER_USER", () => {
  it("defaults: no feed key (the feed is closed), 1,000 followers, 50 per address, 10,000 tokens per user", () => {
    const config = loadConfig({});
    expect(config.feed).toEqual({ keyDigests: [], maxFollowers: 1000, followersPerAddress: 50 });
    expect(config.maxTokensPerUser).toBe(10_000);
  });

  it("keeps only digests of the keys, several of them for a change of key", () => {
    const other = "o".repeat(44);
    const { feed } = loadConfig({ REVOCATION_FEED_KEYS: ` ${KEY}, ${other} ,`, REVOCATION_FEED_FOLLOWERS_PER_ADDRESS: "5" });
    expect(feed.keyDigests).toEqual([sha256Hex(KEY), sha256Hex(other)]);
    expect(JSON.stringify(feed)).not.toContain(KEY);
    expect(feed.followersPerAddress).toBe(5);
  });

  it("refuses short keys, keys with spaces, and counts that are not whole numbers", () => {
    expect(() => loadConfig({ REVOCATION_FEED_KEYS: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ REVOCATION_FEED_KEYS: `${KEY} ${KEY}` })).toThrow(/^REVOCATION_FEED_KEYS: each key must be 32 to 512/);
    expect(() => loadConfig({ REVOCATION_FEED_MAX_FOLLOWERS: "0" })).toThrow(/^REVOCATION_FEED_MAX_FOLLOWERS "0" must be/);
    expect(() => loadConfig({ REVOCATION_FEED_FOLLOWERS_PER_ADDRESS: "many" })).toThrow(/^REVOCATION_FEED_FOLLOWERS_PER_ADDRESS "many"/);
    expect(() => loadConfig({ MAX_TOKENS_PER_USER: "1.5" })).toThrow(/^MAX_TOKENS_PER_USER "1.5" must be/);
  });

  it("opens the feed to a configured key sent as Bearer, and to nothing else", () => {
    const digests = [sha256Hex(KEY)];
    expect(feedAccess(digests, `Bearer ${KEY}`)).toBe("granted");
    expect(feedAccess(digests, `bearer   ${KEY}`)).toBe("granted");
    expect(feedAccess(digests, `Bearer ${KEY}x`)).toBe("wrong_key");
    expect(feedAccess(digests, `Basic ${KEY}`)).toBe("no_key");
    expect(feedAccess(digests, undefined)).toBe("no_key");
    expect(feedAccess([], `Bearer ${KEY}`)).toBe("closed");
  });
});
