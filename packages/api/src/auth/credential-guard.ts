import { createHmac, randomBytes } from "node:crypto";
import type { AttemptCounter, AttemptLimit } from "@tokensmith/db";
import { limitAddress } from "./address.js";
import type { FailureAudit } from "../audit/failure-audit.js";

/**
 * How many password guesses go through. Attempts are counted before the password is checked and
 * given back when it was right, so neither concurrency nor batching gets more guesses than these:
 * - per username and address: what one attacker gets against one account;
 * - per address: spraying many usernames from one place;
 * - per username from anywhere: a ceiling against many addresses, set above what one address can
 *   reach in its window (5 a minute is at most 80 in 15 minutes), so an attacker at one address
 *   cannot lock the user out at another.
 */
export const CREDENTIAL_LIMITS = {
  pair: { limit: 5, windowMs: 60_000 },
  address: { limit: 20, windowMs: 60_000 },
  username: { limit: 100, windowMs: 15 * 60_000 },
} as const;

export interface CredentialAttempt {
  username: string;
  /** Only ever hashed (with a key that lives in this process) to recognise identical attempts. */
  password: string;
  ip: string | undefined;
  userAgent: string | undefined;
  via: "sign-in" | "basic";
}

export type GuardOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

export class CredentialGuard {
  /** Checks running now, by a keyed hash of (via, username, address, password). */
  private readonly inFlight = new Map<string, Promise<GuardOutcome<unknown>>>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly attempts: AttemptCounter,
    private readonly failures: FailureAudit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes the failures counted so far (tests; shutdown flushes by itself). */
  flushAudit(): Promise<void> {
    return this.failures.settled();
  }

  /**
   * Runs `check` (the expensive password hash) only if the attempt fits every limit. Identical
   * attempts that arrive while one is being checked share its answer and count once: a client
   * sending ten requests at once with the right password makes one attempt, not ten.
   */
  attempt<T>(who: CredentialAttempt, check: () => Promise<T | null>): Promise<GuardOutcome<T>> {
    const id = createHmac("sha256", this.key).update(`${who.via}\0${who.username}\0${who.ip ?? ""}\0${who.password}`).digest("base64");
    const running = this.inFlight.get(id) as Promise<GuardOutcome<T>> | undefined;
    if (running) return running;
    const started = this.counted(who, check).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, started);
    return started;
  }

  private async counted<T>(who: CredentialAttempt, check: () => Promise<T | null>): Promise<GuardOutcome<T>> {
    // As typed, minus what a database may refuse (PostgreSQL refuses NUL in text).
    const username = who.username.toLowerCase().slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, "\ufffd");
    const address = limitAddress(who.ip);
    const keys = { pair: `pair:${username}|${address}`, address: `ip:${address}`, username: `user:${username}` };
    const limits: AttemptLimit[] = [
      { key: keys.pair, ...CREDENTIAL_LIMITS.pair },
      { key: keys.address, ...CREDENTIAL_LIMITS.address },
      { key: keys.username, ...CREDENTIAL_LIMITS.username },
    ];
    const taken = await this.attempts.take(limits, this.now());
    if (!taken.ok) {
      this.failures.record({ username: who.username, ip: who.ip, userAgent: who.userAgent, action: "auth.rate_limited" });
      return { ok: false, reason: "limited", retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000) };
    }
    const value = await check();
    if (value === null) {
      this.failures.record({
        username: who.username,
        ip: who.ip,
        userAgent: who.userAgent,
        action: who.via === "basic" ? "auth.basic_failure" : "auth.login_failure",
      });
      return { ok: false, reason: "wrong" };
    }
    // The right password: its attempt does not count, and this pair starts afresh.
    await this.attempts.settle({ refund: [keys.address, keys.username], clear: [keys.pair] }, this.now());
    return { ok: true, value };
  }
}
