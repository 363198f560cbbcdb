import { timingSafeEqual } from "node:crypto";
import { sha256Hex } from "@tokensmith/core";

/** Whether a request may follow the feed, and if not, what to tell it. */
export type FeedAccess = "granted" | "closed" | "no_key" | "wrong_key";

/**
 * The feed names every user's revoked token ids, which the API hides from everyone but their
 * owner: only a holder of one of the feed keys (REVOCATION_FEED_KEYS) may follow it. The key is
 * sent as `Authorization: Bearer <key>`; it is compared by its SHA-256, in constant time.
 */
export function feedAccess(keyDigests: readonly string[], authorization: string | undefined): FeedAccess {
  if (keyDigests.length === 0) return "closed";
  const match = /^bearer +(\S+) *$/i.exec(authorization ?? "");
  if (!match) return "no_key";
  const presented = Buffer.from(sha256Hex(match[1]!), "hex");
  let granted = false;
  for (const digest of keyDigests) granted = timingSafeEqual(presented, Buffer.from(digest, "hex")) || granted;
  return granted ? "granted" : "wrong_key";
}

export const FEED_ACCESS_MESSAGES: Record<Exclude<FeedAccess, "granted">, string> = {
  closed: "The revocation feed is closed: this server has no feed key (REVOCATION_FEED_KEYS)",
  no_key: "The revocation feed needs a feed key: send Authorization: Bearer <key>, a key from REVOCATION_FEED_KEYS",
  wrong_key: "This is not a feed key of this server",
};
