import { createHmac, randomBytes } from "node:crypto";
import { parseAddress, randomSecret, USERNAME_PATTERN } from "@tokensmith/core";
import type { AttemptCounter, KnownClientStore } from "@tokensmith/db";
import { limitAddress } from "./address.js";
import { addressMarker, deviceMarker, KNOWN_CLIENTS, plausibleDeviceSecret, waysIn, type WayIn } from "./guess-limits.js";
import type { FailureAudit } from "../audit/failure-audit.js";

export interface CredentialAttempt {
  username: string;
  /** Only ever hashed (with a key that lives in this process) to recognise identical attempts. */
  password: string;
  ip: string | undefined;
  userAgent: string | undefined;
  via: "sign-in" | "basic";
  /** Signing in: the device cookie the browser sent, if any. */
  device?: string | undefined;
  /** Signing in: the session the browser already holds, if any (a known client of its user). */
  session?: { userId: string; id: string } | undefined;
}

export type GuardOutcome<T> =
  /** `device`: signing in, the device cookie to set (a new secret each time). */
  | { ok: true; value: T; device?: string }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "limited"; retryAfterSeconds: number };

/**
 * How many password guesses go through (sign-in and HTTP Basic, every entry point): attempts are
 * counted in the database before the password is checked, and given back when it was right, so
 * neither concurrency, batching nor several instances get more guesses than the limits allow.
 * Which limits apply depends on who is asking: a known client or a stranger (see guess-limits.ts).
 */
export class CredentialGuard {
  /** Checks running now, by a keyed hash of (via, username, address, password, device, session). */
  private readonly inFlight = new Map<string, Promise<GuardOutcome<unknown>>>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly attempts: AttemptCounter,
    private readonly known: KnownClientStore,
    private readonly failures: FailureAudit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes the failures counted so far (tests; shutdown flushes by itself). */
  flushAudit(): Promise<void> {
    return this.failures.settled();
  }

  /**
   * Runs `check` (the expensive password hash) only if the attempt fits a way in. Identical
   * attempts that arrive while one is being checked share its answer and count once: a client
   * sending ten requests at once with the right password makes one attempt, not ten.
   */
  attempt<T extends { id: string }>(who: CredentialAttempt, check: () => Promise<T | null>): Promise<GuardOutcome<T>> {
    const id = createHmac("sha256", this.key)
      .update(`${who.via}\0${who.username}\0${who.ip ?? ""}\0${who.password}\0${who.device ?? ""}\0${who.session?.id ?? ""}`)
      .digest("base64");
    const running = this.inFlight.get(id) as Promise<GuardOutcome<T>> | undefined;
    if (running) return running;
    const started = this.counted(who, check).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, started);
    return started;
  }

  private async counted<T extends { id: string }>(who: CredentialAttempt, check: () => Promise<T | null>): Promise<GuardOutcome<T>> {
    // As typed, minus what a database may refuse (PostgreSQL refuses NUL in text).
    const username = who.username.toLowerCase().slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, "\ufffd");
    const address = limitAddress(who.ip);
    const now = this.now();
    // Only a real address can be known: "unknown" (no X-Forwarded-For) is every such client at once.
    const place = who.ip !== undefined && parseAddress(who.ip) ? addressMarker(address) : null;
    const device = plausibleDeviceSecret(who.device) ? deviceMarker(who.device) : null;
    const markers = [place, device].filter((m): m is string => m !== null);
    // A name no user can have is not looked up (PostgreSQL refuses NUL); it is a stranger.
    const known = USERNAME_PATTERN.test(who.username) ? await this.known.held(who.username, markers, now) : null;
    const userId = known?.userId ?? null;
    const knownDevice = device !== null && known?.held.has(device) ? device : null;
    const ownSession = who.session !== undefined && who.session.userId === userId ? `session:${who.session.id}` : null;
    const ways = waysIn({ username, address, userId, device: knownDevice ?? ownSession, place: place !== null && known?.held.has(place) ? place : null });

    const way = await this.firstWayWithRoom(ways, now);
    if (!("limits" in way)) {
      this.failures.record({ username: who.username, ip: who.ip, userAgent: who.userAgent, action: "auth.rate_limited" });
      return { ok: false, reason: "limited", retryAfterSeconds: Math.ceil(way.retryAfterMs / 1000) };
    }
    const value = await check();
    if (value === null) {
      this.failures.record({ username: who.username, ip: who.ip, userAgent: who.userAgent, action: who.via === "basic" ? "auth.basic_failure" : "auth.login_failure" });
      return { ok: false, reason: "wrong" };
    }
    // The right password: its attempt does not count, and this client's own keys start afresh.
    const settled = this.now();
    await this.attempts.settle(
      { refund: way.limits.filter((l) => l.onSuccess === "refund").map((l) => l.key), clear: way.limits.filter((l) => l.onSuccess === "clear").map((l) => l.key) },
      settled,
    );
    const remember = (marker: string, kind: "address" | "device", replaces?: string) =>
      this.known.remember({ userId: value.id, marker, kind, expiresAt: settled + KNOWN_CLIENTS.lifeMs, replaces, keep: KNOWN_CLIENTS.keep, now: settled });
    const placeUntil = place !== null && known?.userId === value.id ? known.held.get(place) : undefined;
    if (place !== null && (placeUntil === undefined || placeUntil - settled < KNOWN_CLIENTS.lifeMs - KNOWN_CLIENTS.renewAfterMs)) {
      await remember(place, "address");
    }
    if (who.via !== "sign-in") return { ok: true, value };
    // A new device secret at each sign-in, replacing the one presented: a copied cookie lasts only
    // until its owner signs in again.
    const secret = randomSecret();
    await remember(deviceMarker(secret), "device", knownDevice ?? undefined);
    return { ok: true, value, device: secret };
  }

  /** The first way in with room, counted there; or, when none has, how soon one will. */
  private async firstWayWithRoom(ways: WayIn[], now: number): Promise<WayIn | { retryAfterMs: number }> {
    let retryAfterMs = Infinity;
    for (const way of ways) {
      const taken = await this.attempts.take(way.limits, now);
      if (taken.ok) return way;
      retryAfterMs = Math.min(retryAfterMs, taken.retryAfterMs);
    }
    return { retryAfterMs };
  }
}
