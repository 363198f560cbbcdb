import { log } from "../log/logger.js";
import { createHmac, randomBytes } from "node:crypto";
import { makeRoom } from "@tokensmith/core";
import type { User } from "@tokensmith/db";

interface Success {
  userId: string;
  /** The stored hash the password was checked against: a password change replaces it. */
  passwordHash: string;
  until: number;
}

/**
 * Recent HTTP Basic successes, so that a client sending the same right credentials again need not
 * pay the full scrypt hash (~50 ms of CPU) on every request.
 *
 * - Keyed by an HMAC of username and password under a key made at start and never stored: the
 *   password is not kept, and a restart (or another process) starts with nothing.
 * - Only a success is remembered; a wrong password has another key, so it always pays the full hash
 *   (and is counted by the CredentialGuard, which runs before any check).
 * - A hit vouches only while the user row read for this very request still carries the hash the
 *   password was verified against: a password change or deletion — by this process, another worker
 *   or another instance, on either database — ends it on the next request, with no notice needed.
 * - Entries live `lifeMs` at most; the map is bounded (oldest dropped first).
 */
export class BasicSuccessCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Success>();
  /** Full hashes computed by HTTP Basic checks, and the checks vouched for instead. */
  fullChecks = 0;
  hits = 0;

  constructor(
    private readonly lifeMs: number,
    /** LOG_PASSWORD_HASHES=1: a line per full hash, so tests see what a check cost without timing it. */
    private readonly logFullChecks = false,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  countFullCheck(): void {
    this.fullChecks++;
    // A count only: nothing about who or which password.
    if (this.logFullChecks) log.info(`[auth] basic: full password hash #${this.fullChecks} (cache hits ${this.hits})`);
  }

  private id(username: string, password: string): string {
    // Length-prefixed, so that no (username, password) pair collides with another split.
    return createHmac("sha256", this.key).update(`${username.length}:${username}:${password}`).digest("base64");
  }

  /** Whether a remembered success covers this user row (as read now) and password. */
  vouches(user: User, username: string, password: string): boolean {
    if (this.lifeMs <= 0) return false;
    const id = this.id(username, password);
    const found = this.entries.get(id);
    if (!found) return false;
    if (found.until <= this.now() || found.userId !== user.id || found.passwordHash !== user.passwordHash) {
      this.entries.delete(id);
      return false;
    }
    this.hits++;
    return true;
  }

  remember(user: User, username: string, password: string): void {
    if (this.lifeMs <= 0) return;
    const id = this.id(username, password);
    this.entries.delete(id);
    makeRoom(this.entries, this.maxEntries);
    this.entries.set(id, { userId: user.id, passwordHash: user.passwordHash, until: this.now() + this.lifeMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
