import { log as logger } from "../log/logger.js";
import { formatLifetime } from "@tokensmith/core";
import { isDatabaseUnavailable, type PruneResult, type RetentionStore } from "@tokensmith/db";
import { usageKeptFrom } from "../usage/usage-series.js";

/** Rows per statement: a batch on SQLite holds the write lock for a few milliseconds. */
export const RETENTION_BATCH = 1000;

export interface RetentionPolicy {
  /** How often a pass runs; null: never (retention is off). */
  intervalMs: number | null;
  /** Audit events older than this go; null: kept forever. */
  auditMs: number | null;
  /** A token's row goes this long after its end (and never before its JWT expired); null: kept forever. */
  tokenMs: number | null;
  batch?: number;
}

/** What one pass deleted. */
export interface RetentionReport {
  sessions: number;
  auditEvents: number;
  tokens: number;
  /** Hourly usage rows older than any usage chart shows. */
  usageHours: number;
  /** Another instance held the pruning lock (PostgreSQL): this pass left the work to it. */
  busy: boolean;
  ms: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Deletes what is kept no longer, in the background: expired sessions, audit events older than
 * AUDIT_RETENTION, and tokens TOKEN_RETENTION after they ended. One pass soon after start, then
 * one every interval (passes never overlap). Each pass works in batches and, after each, rests as
 * long as the batch took — so a large backlog takes at most half of the time (and of SQLite's write
 * lock), and requests are served in between.
 */
export class RetentionScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | null = null;
  private stopped = false;

  constructor(
    private readonly store: RetentionStore,
    private readonly policy: RetentionPolicy,
    private readonly log: Pick<Console, "log" | "error"> = { log: (message: string) => logger.info(message), error: (message: string) => logger.error(message) },
  ) {}

  start(): void {
    if (this.policy.intervalMs === null || this.stopped) return;
    this.schedule(0);
  }

  /** Stops the timer and waits for a pass under way to finish its current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass now (or the one under way). */
  runOnce(): Promise<RetentionReport> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.runOnce()
        .then((report) => this.report(report))
        .catch((error: unknown) => this.failed(error))
        .finally(() => {
          if (!this.stopped) this.schedule(this.policy.intervalMs!);
        });
    }, delayMs).unref();
  }

  private async pass(): Promise<RetentionReport> {
    const started = performance.now();
    const { auditMs, tokenMs } = this.policy;
    const report: RetentionReport = { sessions: 0, auditEvents: 0, tokens: 0, usageHours: 0, busy: false, ms: 0 };
    const drain = async (step: (now: number, batch: number) => Promise<PruneResult>): Promise<number> => {
      const batch = this.policy.batch ?? RETENTION_BATCH;
      let total = 0;
      while (!this.stopped && !report.busy) {
        const batchStarted = performance.now();
        const deleted = await step(Date.now(), batch);
        if (deleted === "busy") report.busy = true;
        else total += deleted;
        if (deleted === "busy" || deleted < batch) break;
        await sleep(Math.max(1, performance.now() - batchStarted));
      }
      return total;
    };
    report.sessions = await drain((now, batch) => this.store.deleteExpiredSessions(now, batch));
    if (auditMs !== null) report.auditEvents = await drain((now, batch) => this.store.deleteAuditEvents(now - auditMs, batch));
    if (tokenMs !== null) {
      report.tokens = await drain((now, batch) => this.store.deleteEndedTokens(now - tokenMs, now, batch));
      // Usage older than any chart shows; TOKEN_RETENTION=off keeps it too.
      report.usageHours = await drain((now, batch) => this.store.deleteUsageBefore(usageKeptFrom(now), batch));
    }
    report.ms = performance.now() - started;
    return report;
  }

  private report(r: RetentionReport): void {
    if (r.sessions + r.auditEvents + r.tokens + r.usageHours === 0) return;
    const kept = (ms: number | null) => (ms === null ? "" : ` (kept ${formatLifetime(Math.round(ms / 1000))})`);
    this.log.log(
      `[retention] deleted ${r.sessions} expired sessions, ${r.auditEvents} audit events${kept(this.policy.auditMs)}, ` +
        `${r.tokens} ended tokens${kept(this.policy.tokenMs)} in ${Math.round(r.ms)} ms`,
    );
    if (r.usageHours > 0) this.log.log(`[retention] deleted ${r.usageHours} hourly usage counts older than the usage charts' 30 days`);
  }

  private failed(error: unknown): void {
    // The message only: a database error names tables and dates, never a secret, but its stack helps no operator.
    const why = isDatabaseUnavailable(error) ? "the database is unavailable" : (error as Error)?.message ?? String(error);
    this.log.error(`[retention] pass failed, next in ${formatLifetime(Math.round(this.policy.intervalMs! / 1000))}: ${why}`);
  }
}

/** The policy the configuration asks for. */
export function retentionPolicy(config: {
  retentionIntervalSeconds: number | null;
  auditRetentionSeconds: number | null;
  tokenRetentionSeconds: number | null;
}): RetentionPolicy {
  const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
  return { intervalMs: ms(config.retentionIntervalSeconds), auditMs: ms(config.auditRetentionSeconds), tokenMs: ms(config.tokenRetentionSeconds) };
}
