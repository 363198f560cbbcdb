import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { PoolStats, TokenWriter, WebhookBacklog } from "@tokensmith/db";
import type { UsageOutcome } from "@tokensmith/db";
import { RequestHistogram } from "./request-histogram.js";
import { CachedRead } from "./cached-read.js";

/** What metrics read, each through a small accessor of its owner (the feed is reworked often). */
export interface MetricSources {
  /** Token checks so far by outcome (UsageCounter). */
  checks: () => Readonly<Record<UsageOutcome, number>>;
  /** Bearer tokens not verified before, by how they were checked: stored hash, or signature (VerifiedTokenCache). */
  firstSights: () => Readonly<Record<"hash" | "signature", number>>;
  /** The revocation feed of this process: followers connected, entries held, when last complete. */
  feed: () => { followers: number; entries: number; asOf: number };
  /** Webhook attempts settled so far by what became of the delivery (WebhookDeliverer). */
  deliveries: () => Readonly<Record<"delivered" | "retrying" | "failed", number>>;
  /** The outbox, counted up to a bound (a database read: cached here). */
  backlog: (limit: number) => Promise<WebhookBacklog>;
  pools: () => PoolStats[];
}

/** Rows counted at most, per count: an outbox deeper than this is reported as this deep. */
export const BACKLOG_LIMIT = 10_000;
/** The outbox is read at most this often, however often (and however many scrapers) ask. */
const BACKLOG_EVERY_MS = 10_000;

const OUTCOME_LABEL: Record<UsageOutcome, string> = { allowed: "allowed", unauthorized: "unauthorized", forbidden: "forbidden", limited: "rate_limited" };

/**
 * Every metric of one process, in a registry of its own. Labels take bounded values only: route
 * groups, statuses, outcomes, pool names — never a path, an id or a username.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new RequestHistogram(
    "tokensmith_http_request_duration_seconds",
    "HTTP requests by route group and status: latency from arrival to the end of the answer (_count: requests)",
  );
  private readonly issued: Counter<"how">;
  private readonly revoked: Counter<"how">;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.registry.registerMetric(this.requests as never);
    this.issued = new Counter({ name: "tokensmith_tokens_issued_total", help: "Tokens issued by this process: created, or rotated into", labelNames: ["how"], registers });
    this.revoked = new Counter({
      name: "tokensmith_tokens_revoked_total",
      help: "Tokens this process ended ahead of expiry (a lineage counts each token): revoked, or by reuse detection",
      labelNames: ["how"],
      registers,
    });
    new Counter({
      name: "tokensmith_token_checks_total",
      help: "Bearer token checks by outcome (unauthorized includes tokens that are not ours: forged, unknown, malformed)",
      labelNames: ["outcome"],
      registers,
      collect() {
        this.reset();
        for (const [outcome, count] of Object.entries(sources.checks())) this.inc({ outcome: OUTCOME_LABEL[outcome as UsageOutcome] }, count);
      },
    });
    new Counter({
      name: "tokensmith_token_first_sights_total",
      help: "Bearer tokens not verified before in this process, by how: their SHA-256 matched their stored row (hash), or a signature check (signature; forged and unknown tokens included)",
      labelNames: ["how"],
      registers,
      collect() {
        this.reset();
        for (const [how, count] of Object.entries(sources.firstSights())) this.inc({ how }, count);
      },
    });
    new Gauge({
      name: "tokensmith_revocation_feed_followers",
      help: "Verifiers following this process's revocation feed now",
      registers,
      collect() {
        this.set(sources.feed().followers);
      },
    });
    new Gauge({
      name: "tokensmith_revocation_feed_entries",
      help: "Entries in the feed's snapshot: tokens revoked and not yet expired",
      registers,
      aggregator: "max",
      collect() {
        this.set(sources.feed().entries);
      },
    });
    new Gauge({
      name: "tokensmith_revocation_feed_age_seconds",
      help: "How old this process's copy of the revocation feed is (it syncs every second; growing: the database is not answering)",
      registers,
      aggregator: "max",
      collect() {
        this.set(Math.max(0, (Date.now() - sources.feed().asOf) / 1000));
      },
    });
    new Counter({
      name: "tokensmith_webhook_deliveries_total",
      help: "Webhook delivery attempts by what became of the delivery: delivered, retrying (will be sent again), failed (gave up)",
      labelNames: ["result"],
      registers,
      collect() {
        this.reset();
        for (const [result, count] of Object.entries(sources.deliveries())) this.inc({ result }, count);
      },
    });
    const backlog = new CachedRead(() => sources.backlog(BACKLOG_LIMIT), BACKLOG_EVERY_MS);
    const outbox = (name: string, help: string, value: (b: WebhookBacklog) => number) =>
      new Gauge({
        name,
        help,
        registers,
        // The same database, read by every process: summing would count it once per process.
        aggregator: "max",
        async collect() {
          const read = await backlog.get();
          if (read) this.set(value(read));
        },
      });
    outbox("tokensmith_webhook_outbox_events", `Webhook events not yet fanned out to their endpoints (counted up to ${BACKLOG_LIMIT})`, (b) => b.events);
    outbox("tokensmith_webhook_outbox_deliveries", `Webhook deliveries waiting for a first attempt or a retry (counted up to ${BACKLOG_LIMIT})`, (b) => b.deliveries);
    outbox("tokensmith_webhook_oldest_pending_age_seconds", "Age of the oldest webhook event or delivery still waiting (0: none)", (b) =>
      b.oldestAt === null ? 0 : Math.max(0, (Date.now() - b.oldestAt) / 1000),
    );
    new Gauge({
      name: "tokensmith_db_pool_connections",
      help: "PostgreSQL pool connections by pool and state (in_use, idle)",
      labelNames: ["pool", "state"],
      registers,
      collect() {
        for (const p of sources.pools()) {
          this.set({ pool: p.name, state: "in_use" }, p.total - p.idle);
          this.set({ pool: p.name, state: "idle" }, p.idle);
        }
      },
    });
    new Gauge({
      name: "tokensmith_db_pool_waiting",
      help: "Queries waiting for a PostgreSQL pool connection, by pool",
      labelNames: ["pool"],
      registers,
      collect() {
        for (const p of sources.pools()) this.set({ pool: p.name }, p.waiting);
      },
    });
  }

  /** Node's own process metrics (CPU, memory, event loop lag, GC): only where metrics are served. */
  collectProcessDefaults(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The token writer, counting what it issued and ended: every entry point writes through it. */
  countingWriter(writer: TokenWriter): TokenWriter {
    const { issued, revoked } = this;
    // Every series present from the start, at 0: a rate over a series that appears later misses its first count.
    for (const how of ["created", "rotated"]) issued.inc({ how }, 0);
    for (const how of ["revoked", "reuse_detected"]) revoked.inc({ how }, 0);
    return {
      create: async (...args) => {
        const outcome = await writer.create(...args);
        if (outcome.ok) issued.inc({ how: "created" });
        return outcome;
      },
      rotate: async (input) => {
        const outcome = await writer.rotate(input);
        if (outcome.ok) issued.inc({ how: "rotated" });
        return outcome;
      },
      endLineage: async (input) => {
        const result = await writer.endLineage(input);
        revoked.inc({ how: "revoked" }, result.ended.length);
        return result;
      },
      endFamily: async (...args) => {
        const ended = await writer.endFamily(...args);
        revoked.inc({ how: "reuse_detected" }, ended.length);
        return ended;
      },
      setPaused: (input) => writer.setPaused(input),
    };
  }

  /** The Prometheus text exposition of this process. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
