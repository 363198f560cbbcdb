import { sha256Hex } from "@tokensmith/core";

/** Who may follow the revocation feed, and how many at once. */
export interface FeedSettings {
  /**
   * REVOCATION_FEED_KEYS: the SHA-256 (hex) of each key that opens the feed. Several, so that a
   * key can be replaced without a gap; none: the feed is closed to everyone.
   */
  keyDigests: string[];
  /** REVOCATION_FEED_MAX_FOLLOWERS: followers at once, per server process. */
  maxFollowers: number;
  /** REVOCATION_FEED_FOLLOWERS_PER_ADDRESS: followers at once from one client address (IPv6: a /64). */
  followersPerAddress: number;
}

type Env = Record<string, string | undefined>;

/** What a key may be: long enough not to be guessed, and sendable as is in an Authorization header. */
const KEY = /^[\x21-\x2b\x2d-\x7e]{32,512}$/;

function count(name: string, value: string | undefined, fallback: number, report: (message: string) => Error): number {
  const text = value?.trim() ?? "";
  if (text === "") return fallback;
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1 || number > 1_000_000) throw report(`${name} "${value}" must be a whole number from 1 to 1000000`);
  return number;
}

/** Reads the REVOCATION_FEED_* settings; `report` makes the error the caller throws for a bad one. */
export function feedSettingsFrom(env: Env, report: (message: string) => Error): FeedSettings {
  const keys = (env.REVOCATION_FEED_KEYS ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
  for (const key of keys) {
    if (!KEY.test(key)) {
      throw report(
        "REVOCATION_FEED_KEYS: each key must be 32 to 512 visible ASCII characters, without commas or spaces (make one with `openssl rand -base64 32`)",
      );
    }
  }
  const maxFollowers = count("REVOCATION_FEED_MAX_FOLLOWERS", env.REVOCATION_FEED_MAX_FOLLOWERS, 1000, report);
  return {
    keyDigests: keys.map(sha256Hex),
    maxFollowers,
    followersPerAddress: Math.min(maxFollowers, count("REVOCATION_FEED_FOLLOWERS_PER_ADDRESS", env.REVOCATION_FEED_FOLLOWERS_PER_ADDRESS, 50, report)),
  };
}
