import { randomUUID } from "node:crypto";
import pg from "pg";

export const CHANGE_CHANNEL = "tokensmith_tokens";
/** Announces each revocation-feed entry (payload: its sequence number). */
export const REVOCATION_CHANNEL = "tokensmith_revocations";
/** How the listening connection names itself in pg_stat_activity (operators and tests find it by this). */
export const LISTENER_APPLICATION_NAME = "tokensmith-listener";

export type Changed = readonly string[] | "all";

/**
 * Notifications of changed token rows (see the token_notifications migration), on a dedicated
 * connection: a pooled one would LISTEN only while it happens to be checked out.
 *
 * `live` is true only while notifications are known to arrive. A dropped connection loses what
 * was sent meanwhile, so on every drop subscribers are told "all" (drop every cached row) and
 * `live` stays false until the connection is back, listening again, and caches were dropped once
 * more. A heartbeat — a notification this connection sends itself — catches a link that died
 * without an error.
 */
export interface ChangeFeed {
  readonly live: boolean;
  subscribe(onChange: (changed: Changed) => void): () => void;
  /** Called when revocation-feed entries were appended — and after any gap in listening (resync). */
  onRevocation(listener: () => void): () => void;
  /**
   * Resolves once a notification naming `id` has arrived here (or after `timeoutMs`): by then the
   * server has sent it to every listening instance too.
   */
  delivered(id: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  heartbeatMs?: number;
  /** A heartbeat unanswered this long means the link is dead. */
  deadAfterMs?: number;
  onStateChange?: (live: boolean, why: string) => void;
}

export async function openChangeFeed(url: string, options: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const deadAfterMs = options.deadAfterMs ?? 3000;
  const subscribers = new Set<(changed: Changed) => void>();
  const waiting = new Map<string, Set<() => void>>();
  const revocationListeners = new Set<() => void>();
  const revocationsAppended = () => {
    for (const listener of revocationListeners) listener();
  };
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let ping: { id: string; sentAt: number } | null = null;
  let backoffMs = 100;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const publish = (changed: Changed) => {
    for (const subscriber of subscribers) subscriber(changed);
    const ids = changed === "all" ? [...waiting.keys()] : changed;
    for (const id of ids) {
      for (const wake of waiting.get(id) ?? []) wake();
      waiting.delete(id);
    }
  };
  const setLive = (value: boolean, why: string) => {
    if (live === value) return;
    live = value;
    options.onStateChange?.(value, why);
  };

  function drop(dead: pg.Client, why: string): void {
    if (client !== dead) return;
    client = null;
    ping = null;
    setLive(false, why);
    publish("all");
    revocationsAppended();
    dead.removeAllListeners("notification");
    dead.on("error", () => {});
    void dead.end().catch(() => {});
    if (!closed) reconnectTimer = setTimeout(() => void connect(), backoffMs);
    backoffMs = Math.min(backoffMs * 2, 2000);
  }

  async function connect(): Promise<void> {
    const candidate = new pg.Client({
      connectionString: url,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      application_name: LISTENER_APPLICATION_NAME,
    });
    candidate.on("error", (error) => drop(candidate, `connection error: ${error.message}`));
    candidate.on("end", () => drop(candidate, "connection ended"));
    candidate.on("notification", (message) => {
      if (client !== candidate) return;
      if (message.channel === REVOCATION_CHANNEL) return revocationsAppended();
      if (message.channel !== CHANGE_CHANNEL) return;
      const payload = message.payload ?? "*";
      if (payload.startsWith("ping:")) {
        if (ping && payload === `ping:${ping.id}`) ping = null;
        return;
      }
      publish(payload === "*" ? "all" : payload.split(","));
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${REVOCATION_CHANNEL}`);
    } catch (error) {
      candidate.removeAllListeners();
      candidate.on("error", () => {});
      void candidate.end().catch(() => {});
      if (!closed) reconnectTimer = setTimeout(() => void connect(), backoffMs);
      backoffMs = Math.min(backoffMs * 2, 2000);
      if (client === null && !live) options.onStateChange?.(false, `cannot listen: ${(error as Error).message}`);
      return;
    }
    if (closed) {
      void candidate.end().catch(() => {});
      return;
    }
    client = candidate;
    backoffMs = 100;
    // Anything may have changed while nobody listened: drop every cached row, then trust the feed.
    publish("all");
    setLive(true, "listening");
    revocationsAppended();
  }

  const heartbeat = setInterval(() => {
    const current = client;
    if (!current) return;
    if (ping) {
      if (Date.now() - ping.sentAt > deadAfterMs) drop(current, `no heartbeat for ${deadAfterMs} ms`);
      return;
    }
    ping = { id: randomUUID(), sentAt: Date.now() };
    current.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, `ping:${ping.id}`]).catch((error: Error) => drop(current, error.message));
  }, heartbeatMs).unref();

  await connect();
  return {
    get live() {
      return live;
    },
    subscribe(onChange) {
      subscribers.add(onChange);
      return () => subscribers.delete(onChange);
    },
    onRevocation(listener) {
      revocationListeners.add(listener);
      return () => revocationListeners.delete(listener);
    },
    delivered(id, timeoutMs) {
      if (!live) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          waiting.get(id)?.delete(done);
          resolve();
        }
        if (!waiting.has(id)) waiting.set(id, new Set());
        waiting.get(id)!.add(done);
      });
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(reconnectTimer);
      const current = client;
      client = null;
      setLive(false, "closed");
      if (current) {
        current.removeAllListeners();
        current.on("error", () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
