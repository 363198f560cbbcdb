import { randomUUID } from "node:crypto";
import pg from "pg";

export const CHANGE_CHANNEL = "tokensmith_tokens";
/** Announces each revocation-feed entry (payload: its sequence number). */
export const REVOCATION_CHANNEL = "tokensmith_revocations";
/**
 * A writer's "sync:<id>", sent after its commit, and every listener's "ack:<id>" in reply (see
 * ChangeFeed.settled). On a channel of its own so that nothing reading changes mistakes it for one.
 */
export const SYNC_CHANNEL = "tokensmith_sync";
/** How the listening connection names itself in pg_stat_activity (operators and tests find it by this; settled counts by it). */
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
   * Call after a commit: resolves once every listening instance has acknowledged a notification
   * sent after it (or after `timeoutMs`, or at once while this feed is not live). PostgreSQL
   * delivers notifications to each listener in commit order, so an instance that acknowledged has
   * already dropped the rows that commit changed: a client told "done" that asks any instance next
   * is answered from the new rows. Hearing our own notification back proved nothing about the
   * others: each listener reads its queue in its own time, and another instance under load could
   * still answer from its cache (seen in CI: a resume made on B, refused by A on the next request).
   */
  settled(timeoutMs: number): Promise<void>;
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
  /** Syncs sent from here: acknowledgements heard, and how many listeners there were to hear from. */
  const syncs = new Map<string, { acks: number; listeners: number; done: () => void }>();
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
  };
  const heardSync = (current: pg.Client, payload: string) => {
    if (payload.startsWith("sync:")) {
      // Every change committed before this sync has been published above: say so.
      current.query("SELECT pg_notify($1, $2)", [SYNC_CHANNEL, `ack:${payload.slice(5)}`]).catch((error: Error) => drop(current, error.message));
      return;
    }
    const sync = payload.startsWith("ack:") ? syncs.get(payload.slice(4)) : undefined;
    if (sync && ++sync.acks >= sync.listeners) sync.done();
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
    // No acknowledgement can reach us now; the news reaches the others or drops their caches.
    for (const sync of [...syncs.values()]) sync.done();
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
      if (message.channel === SYNC_CHANNEL) return heardSync(candidate, message.payload ?? "");
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
      await candidate.query(`LISTEN ${CHANGE_CHANNEL}; LISTEN ${REVOCATION_CHANNEL}; LISTEN ${SYNC_CHANNEL}`);
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
    settled(timeoutMs) {
      const current = client;
      if (!live || !current) return Promise.resolve();
      const id = randomUUID();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          syncs.delete(id);
          resolve();
        }
        // Counted until the sync query answers; acknowledgements may arrive before it does.
        const sync = { acks: 0, listeners: Number.POSITIVE_INFINITY, done };
        syncs.set(id, sync);
        current
          .query<{ listeners: number }>(
            // Listeners that sent a heartbeat lately: one whose process died without closing its
            // connection stays in pg_stat_activity until TCP gives up, and must not hold every
            // write for the timeout meanwhile. (Another role's sessions show no state_change.)
            `SELECT pg_notify($1, $2), (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = $3
               AND (state_change IS NULL OR state_change > now() - make_interval(secs => $4))) AS listeners`,
            [SYNC_CHANNEL, `sync:${id}`, LISTENER_APPLICATION_NAME, (heartbeatMs * 5) / 1000],
          )
          .then(({ rows }) => {
            sync.listeners = rows[0]?.listeners ?? 0;
            if (sync.acks >= sync.listeners) done();
          })
          .catch((error: Error) => {
            done();
            drop(current, error.message);
          });
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
