import { SseParser, type SseMessage } from "./sse.js";

/** When a token stops working (`at`, epoch ms, may be in the future) and when it expires anyway. */
export interface RevokedToken {
  at: number;
  exp: number;
}

export interface FeedOptions {
  url: string;
  /** The feed key (one of the server's REVOCATION_FEED_KEYS), sent as a Bearer credential. */
  key: string;
  fetch: typeof fetch;
  /** No byte for this long (the server sends a heartbeat every second): the connection is dead. */
  silenceTimeout: number;
  /** The longest wait between two reconnection attempts. */
  maxReconnectDelay: number;
  onEvent?: (event: FeedEvent) => void;
}

/** What the feed reports to `onEvent` (for logs and metrics; never needed for correctness). */
export type FeedEvent =
  | { type: "connected"; resumed: boolean }
  | { type: "disconnected"; reason: string; retryInMs: number };

/** A token's pause state, from the latest pause or resume entry (`seq`) heard of it. */
type PauseState = { seq: number; paused: boolean; exp: number };

/** What the server says before the first `retry:` arrives, and the floor of every reconnect delay. */
const DEFAULT_RETRY_MS = 1000;
/** How often the watchdog looks at the connection, and expired entries are dropped. */
const TICK_MS = 250;
const PRUNE_EVERY_MS = 60_000;
/** Heartbeats the server's clock is estimated from (the largest reading wins: see `now`). */
const CLOCK_READINGS = 10;

/**
 * Follows `GET /v1alpha/revocations`: every revoked-but-unexpired token, then each revocation as
 * it happens, and heartbeats that say how current the server's own copy is. The server sends a
 * heartbeat only once it has sent everything before it, so the data is as current as the last
 * heartbeat, never as the last entry: during a long catch-up (a burst, a first snapshot) the
 * data ages, and the verifier answers 503 past `maxStaleness` rather than vouch for it.
 *
 * Revocations are never undone, so everything received is merged (a union keeping the earliest
 * `at`), never replaced: a resumed or re-snapshotted stream from a lagging instance cannot make
 * us forget a revocation another instance already told us about. Entries leave after `exp`,
 * when the token is refused for its expiry anyway.
 *
 * Pauses are the one thing undone: an entry with `kind: "pause"` or `"resume"` (and its `seq`)
 * sets the token's pause state, kept apart from revocations (a resume never undoes a revoke), and
 * applied only if newer than the last one heard for that token, so a replay from a lagging
 * instance cannot resume what a later pause stopped. One state per token, dropped at its expiry,
 * however often it is toggled. An entry of an unknown kind is a revocation (closed, never open).
 */
export class RevocationFeed {
  readonly revoked = new Map<string, RevokedToken>();
  private readonly pauses = new Map<string, PauseState>();
  private lastEventId: string | undefined;
  /** performance.now() of the last heartbeat; -Infinity until the first. */
  private lastHeartbeatAt = -Infinity;
  /** The last readings of (the server's clock − ours) at a heartbeat, in ms. */
  private clockReadings: number[] = [];
  /** The largest of clockReadings, kept so that every verify need not compute it. */
  private skew = 0;
  /** How far behind the database the server's copy was at the last heartbeat (its `now - asOf`). */
  private serverLag = Infinity;
  private hasSnapshot = false;
  private lastByteAt = 0;
  private lastPruneAt = 0;
  private failures = 0;
  private retryMs = DEFAULT_RETRY_MS;
  private connection: AbortController | undefined;
  /** Ends the wait before the next reconnection attempt (set only while waiting). */
  private wake: (() => void) | undefined;
  private readonly ticker: ReturnType<typeof setInterval>;
  private closed = false;
  private readonly readyWaiters = new Set<() => void>();
  private readonly running: Promise<void>;

  constructor(private readonly options: FeedOptions) {
    // unref: the feed alone must not keep a process alive once its owner is done (close() ends it).
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref?.();
    this.running = this.run();
  }

  /**
   * How old our knowledge of revocations is, in ms: the time since the last heartbeat plus the
   * lag the server admitted to in it. Infinity before a snapshot and a heartbeat.
   */
  age(now = performance.now()): number {
    return this.hasSnapshot ? now - this.lastHeartbeatAt + this.serverLag : Infinity;
  }

  /**
   * How far the server's clock is ahead of ours (ms; negative: behind), from the recent
   * heartbeats; 0 before the first. Each reading is low by the heartbeat's time in transit, so
   * the largest of the last few is the best.
   */
  get clockSkew(): number {
    return this.skew;
  }

  /**
   * The time revocations and expiry are judged at: the server's clock (which set every `at`), or
   * ours where ours is ahead. A verifier whose clock is behind would otherwise keep accepting a
   * revoked token for as long as it is behind; one whose clock is ahead ends tokens a little
   * early, never late.
   */
  now(): number {
    return this.skew > 0 ? Date.now() + this.skew : Date.now();
  }

  /** Whether the latest pause or resume heard of `jti` paused it. */
  isPaused(jti: string): boolean {
    return this.pauses.get(jti)?.paused ?? false;
  }

  get ready(): boolean {
    return this.age() !== Infinity;
  }

  /** Resolves once a snapshot and a heartbeat have arrived, or after `timeoutMs` (see `ready`). */
  waitUntilReady(timeoutMs: number): Promise<void> {
    if (this.ready || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.readyWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.readyWaiters.add(done);
    });
  }

  /** Resolves once the connection is closed and nothing of the feed runs any more. */
  close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    this.connection?.abort();
    this.wake?.();
    for (const wake of [...this.readyWaiters]) wake();
    return this.running;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const controller = new AbortController();
      this.connection = controller;
      this.lastByteAt = performance.now();
      let reason = "the server closed the stream";
      try {
        await this.follow(controller.signal);
      } catch (error) {
        reason = controller.signal.aborted ? String(controller.signal.reason ?? "aborted") : describe(error);
      }
      controller.abort();
      this.connection = undefined;
      if (this.closed) return;
      // Doubling from the server's `retry`, and jittered (half to all of it): a restarted server
      // is not hit by every verifier at the same instant.
      const ceiling = Math.min(this.options.maxReconnectDelay, this.retryMs * 2 ** this.failures);
      const delay = Math.round(ceiling * (0.5 + Math.random() / 2));
      this.failures++;
      this.options.onEvent?.({ type: "disconnected", reason, retryInMs: delay });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        // close() during the wait ends it at once, and no timer is left keeping the process alive.
        timer.unref?.();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { accept: "text/event-stream", "cache-control": "no-store", authorization: `Bearer ${this.options.key}` };
    // Every id is a position in the feed: a connection that broke mid-snapshot resumes from there.
    const resuming = this.lastEventId !== undefined;
    if (resuming) headers["last-event-id"] = this.lastEventId!;
    // redirect "error": the key goes to this URL only.
    const response = await this.options.fetch(this.options.url, { headers, signal, cache: "no-store", redirect: "error" });
    if (response.status !== 200 || !response.body) throw new Error(`the revocation feed answered ${response.status}${await serverMessage(response)}`);
    if (!/^text\/event-stream/i.test(response.headers.get("content-type") ?? "")) {
      await response.body.cancel().catch(() => {});
      throw new Error("the revocation feed did not answer with text/event-stream");
    }
    this.options.onEvent?.({ type: "connected", resumed: resuming });
    const parser = new SseParser((message) => this.receive(message), this.lastEventId);
    const reader = response.body.getReader();
    // Node's fetch stops watching the signal once the Response object is garbage-collected (and
    // only the reader is kept here), so an abort would no longer end the read: cancel it ourselves.
    const cancel = () => void reader.cancel(signal.reason).catch(() => {});
    signal.addEventListener("abort", cancel, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (signal.aborted) throw signal.reason;
        if (done) return;
        this.lastByteAt = performance.now();
        parser.push(value);
        if (parser.retry !== undefined) this.retryMs = Math.max(parser.retry, 100);
      }
    } finally {
      signal.removeEventListener("abort", cancel);
      reader.releaseLock();
    }
  }

  private receive(message: SseMessage): void {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return; // Not ours to understand; the next heartbeat will tell whether the stream is alive.
    }
    if (message.event === "snapshot" && isObject(data) && Array.isArray(data.revoked)) {
      for (const entry of data.revoked) this.add(entry);
      this.hasSnapshot = true;
    } else if (message.event === "revoked-batch" && Array.isArray(data)) {
      for (const entry of data) this.add(entry);
    } else if (message.event === "revoked") {
      this.add(data);
    } else if (message.event === "heartbeat" && isObject(data) && typeof data.now === "number" && typeof data.asOf === "number") {
      this.serverLag = Math.max(0, data.now - data.asOf);
      this.lastHeartbeatAt = performance.now();
      this.clockReadings.push(data.now - Date.now());
      if (this.clockReadings.length > CLOCK_READINGS) this.clockReadings.shift();
      this.skew = Math.max(...this.clockReadings);
    } else {
      return;
    }
    this.lastEventId = message.lastEventId;
    // A connection that delivers data is a healthy one: the next drop starts the backoff afresh.
    this.failures = 0;
    if (message.event !== "revoked" && message.event !== "revoked-batch" && this.ready) for (const wake of [...this.readyWaiters]) wake();
  }

  private add(entry: unknown): void {
    if (!isObject(entry) || typeof entry.jti !== "string" || typeof entry.at !== "number" || typeof entry.exp !== "number") return;
    if ((entry.kind === "pause" || entry.kind === "resume") && typeof entry.seq === "number") {
      const state = this.pauses.get(entry.jti);
      if (state === undefined || state.seq < entry.seq) this.pauses.set(entry.jti, { seq: entry.seq, paused: entry.kind === "pause", exp: entry.exp });
      return;
    }
    const known = this.revoked.get(entry.jti);
    if (known && known.at <= entry.at) return;
    this.revoked.set(entry.jti, { at: entry.at, exp: Math.max(entry.exp, known?.exp ?? 0) });
  }

  private tick(): void {
    const now = performance.now();
    if (now - this.lastByteAt > this.options.silenceTimeout) this.connection?.abort(`no data for ${this.options.silenceTimeout} ms`);
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = now;
      const wallClock = this.now();
      for (const [jti, entry] of this.revoked) if (entry.exp <= wallClock) this.revoked.delete(jti);
      for (const [jti, state] of this.pauses) if (state.exp <= wallClock) this.pauses.delete(jti);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** ": <the server's message>" from a refusal's JSON body (short; never the whole body), or "". */
async function serverMessage(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.length > 4096) return "";
    }
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === "string" ? `: ${message.slice(0, 200)}` : "";
  } catch {
    return "";
  } finally {
    void reader.cancel().catch(() => {});
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}
