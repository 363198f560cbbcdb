import { sha256Hex } from "@tokensmith/core";
import type { AttemptLimit } from "@tokensmith/db";

/**
 * Known clients: an address (IPv6: its /64) or a browser (its device cookie) from which a user gave
 * the right password lately. The per-username ceiling is what a storm from many addresses fills;
 * it applies to strangers only, so the storm cannot lock the user out where they signed in before.
 * A known client has a small budget of its own instead, per client, so being known buys an
 * attacker little: becoming known takes the password, and a marker names one user only.
 */
export const KNOWN_CLIENTS = {
  /** How long a success keeps a client known (renewed by each success). */
  lifeMs: 30 * 24 * 3_600_000,
  /** HTTP Basic succeeds on every request: a marker is written again at most this often. */
  renewAfterMs: 3_600_000,
  /** Markers kept per user and kind (the newest). */
  keep: 20,
  /** Guesses a known client gets in its window, before it is judged as a stranger. */
  budget: { limit: 10, windowMs: 15 * 60_000 },
} as const;

/** What marks a client in the database: a SHA-256, never the address or the cookie's secret. */
export const addressMarker = (address: string) => sha256Hex(`address:${address}`);
export const deviceMarker = (secret: string) => sha256Hex(`device:${secret}`);

/** A device cookie we could have set (randomSecret: 43 base64url characters); anything else is ignored unread. */
export const plausibleDeviceSecret = (value: string | undefined): value is string => value !== undefined && /^[\w-]{43}$/.test(value);

/** One way an attempt may go through: every limit must have room, and a success settles each. */
export interface WayIn {
  limits: (AttemptLimit & { onSuccess: "refund" | "clear" })[];
}

/** The stranger's limits, as they always were: per username and address, per address, per username. */
export const STRANGER_LIMITS = {
  pair: { limit: 5, windowMs: 60_000 },
  address: { limit: 20, windowMs: 60_000 },
  username: { limit: 100, windowMs: 15 * 60_000 },
} as const;

/**
 * The ways in for an attempt, in the order they are tried; the first with room counts it.
 * - a known device (or the user's own session): its own budget only — no address limit, so no one
 *   sharing the address (a NAT, a /64) can spend it;
 * - a known address: the pair and address limits still apply (a known address sprays no other
 *   user: it is known for this one only), and its own budget replaces the per-username ceiling;
 * - a stranger: pair, address and the per-username ceiling.
 * A known client whose budget is spent is judged as a stranger: being known never gives fewer
 * guesses than not, and at most one budget more.
 */
export function waysIn(input: { username: string; address: string; userId: string | null; device: string | null; place: string | null }): WayIn[] {
  const { username, address, userId } = input;
  const pair = { key: `pair:${username}|${address}`, ...STRANGER_LIMITS.pair, onSuccess: "clear" } as const;
  const fromAddress = { key: `ip:${address}`, ...STRANGER_LIMITS.address, onSuccess: "refund" } as const;
  const known = (marker: string) => ({ key: `known:${userId}:${marker}`, ...KNOWN_CLIENTS.budget, onSuccess: "clear" }) as const;
  const ways: WayIn[] = [];
  if (userId !== null && input.device !== null) ways.push({ limits: [known(input.device)] });
  if (userId !== null && input.place !== null) ways.push({ limits: [pair, fromAddress, known(input.place)] });
  ways.push({ limits: [pair, fromAddress, { key: `user:${username}`, ...STRANGER_LIMITS.username, onSuccess: "refund" }] });
  return ways;
}
