import { log } from "../log/logger.js";
import type { Db } from "@tokensmith/db";
import type { AuditAction } from "./record.js";
import { USERNAME_PATTERN } from "@tokensmith/core";
import { findUserByName } from "../auth/users.js";

export interface FailureFacts {
  action: Extract<AuditAction, "auth.login_failure" | "auth.basic_failure" | "auth.rate_limited">;
  username: string;
  ip: string | undefined;
  userAgent: string | undefined;
}

interface Pending {
  facts: FailureFacts;
  repeats: number;
  since: number;
}

/**
 * Failed and refused credential attempts, audited without letting a flood write one row per guess:
 * the first failure of an (action, username, address) in a window is written at once; repeats are
 * counted and written as one row when the window closes. At most `maxKeys` distinct keys are kept
 * per window; beyond that failures are only counted, into one summary row.
 */
export class FailureAudit {
  private pending = new Map<string, Pending>();
  private overflow = 0;
  private readonly writes = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: { maxKeys?: number; windowMs?: number } = {},
  ) {}

  record(facts: FailureFacts): void {
    const key = `${facts.action}|${facts.username}|${facts.ip ?? ""}`;
    const seen = this.pending.get(key);
    if (seen) {
      seen.repeats++;
      return;
    }
    if (this.pending.size >= (this.options.maxKeys ?? 1000)) {
      this.overflow++;
      return;
    }
    this.pending.set(key, { facts, repeats: 0, since: Date.now() });
    this.write(facts, null);
    this.timer ??= setInterval(() => this.flush(), this.options.windowMs ?? 60_000).unref();
  }

  /** Writes the repeats counted so far and starts a new window. */
  flush(): void {
    const closing = this.pending;
    const overflow = this.overflow;
    this.pending = new Map();
    this.overflow = 0;
    for (const { facts, repeats, since } of closing.values()) {
      if (repeats > 0) this.write(facts, { repeated: repeats, since: new Date(since).toISOString() });
    }
    if (overflow > 0) {
      this.write({ action: "auth.login_failure", username: "", ip: undefined, userAgent: undefined }, { repeated: overflow, note: "more failures than the audit keeps apart" });
    }
  }

  /** Flushes and waits until every row so far is written. */
  async settled(): Promise<void> {
    this.flush();
    await Promise.all(this.writes);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    await Promise.all(this.writes);
  }

  private write(facts: FailureFacts, detail: Record<string, unknown> | null): void {
    const write = (async () => {
      const user = USERNAME_PATTERN.test(facts.username) ? await findUserByName(this.db, facts.username, { id: true }) : null;
      await this.db.auditEvent.create({
        data: {
          action: facts.action,
          userId: user?.id ?? null,
          // Whatever was typed, minus what a database may refuse (NUL) or a log may misrender.
          username: facts.username.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, "\ufffd") || null,
          ip: facts.ip ?? null,
          userAgent: facts.userAgent?.slice(0, 300) ?? null,
          detail: detail ? JSON.stringify(detail) : null,
        },
      });
    })().catch((error: unknown) => log.error({ err: error }, "[audit] could not record failed attempts"));
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }
}
