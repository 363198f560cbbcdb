import { log } from "../log/logger.js";
import type { Db } from "@tokensmith/db";
import type { AuditAction } from "./record.js";
import { escapeUnsafeText, USERNAME_PATTERN } from "@tokensmith/core";
import { findUserByName } from "../auth/users.js";
import { limitAddress } from "../auth/address.js";

export interface FailureFacts {
  action: Extract<AuditAction, "auth.login_failure" | "auth.basic_failure" | "auth.rate_limited">;
  username: string;
  ip: string | undefined;
  userAgent: string | undefined;
}

/**
 * Whatever was typed, with what the text rule refuses written as escapes (core's escapeUnsafeText):
 * a NUL that PostgreSQL would refuse, and the C1 controls and bidirectional overrides that would
 * make the administrator's activity list show another name than the one tried ("\u202enimda" read
 * as "admin"). A stranger's sign-in name is the one text stored here that no schema checked.
 */
const printable = (text: string) => escapeUnsafeText(text.slice(0, 200));

/** Attempts per username, at most `max` names apart; the rest are one number. */
class NameCounts {
  private readonly counts = new Map<string, number>();
  private others = 0;

  constructor(private readonly max: number) {}

  add(username: string): void {
    const name = printable(username).slice(0, 100);
    const seen = this.counts.get(name);
    if (seen !== undefined) this.counts.set(name, seen + 1);
    else if (this.counts.size < this.max) this.counts.set(name, 1);
    else this.others++;
  }

  /** The one name every attempt was for, if there is one. */
  get single(): string | null {
    return this.counts.size === 1 && this.others === 0 ? this.counts.keys().next().value! : null;
  }

  toJSON(): Record<string, unknown> {
    return { usernames: Object.fromEntries(this.counts), ...(this.others > 0 ? { otherUsernames: this.others } : {}) };
  }
}

interface Pending {
  first: FailureFacts;
  /** The address as limits count it (IPv6: its /64). */
  address: string;
  repeats: number;
  names: NameCounts;
  since: number;
}

interface Overflow {
  count: number;
  addresses: Set<string>;
  names: NameCounts;
}

const MAX_NAMES = 10;
/** Distinct addresses an overflow row counts (beyond, it says "at least"). */
const MAX_OVERFLOW_ADDRESSES = 10_000;

/**
 * Failed and refused credential attempts, audited without a row per attempt, whoever sends them
 * and from however many addresses. Per window (a minute) and action, one address (IPv6: its /64)
 * gets at most two rows: its first failure, written at once, and one row with the count of the
 * rest and the usernames they named (the first ten). At most `maxKeys` (action, address) keys are
 * kept apart in a window; beyond that, failures are counted per action into one summary row. So a
 * window writes at most 2 × maxKeys + 3 rows in this process, however large the storm.
 */
export class FailureAudit {
  private pending = new Map<string, Pending>();
  private overflow = new Map<FailureFacts["action"], Overflow>();
  private readonly writes = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: { maxKeys?: number; windowMs?: number } = {},
  ) {}

  record(facts: FailureFacts): void {
    const address = limitAddress(facts.ip);
    const key = `${facts.action}|${address}`;
    const seen = this.pending.get(key);
    if (seen) {
      seen.repeats++;
      seen.names.add(facts.username);
      return;
    }
    this.timer ??= setInterval(() => this.flush(), this.options.windowMs ?? 60_000).unref();
    if (this.pending.size >= (this.options.maxKeys ?? 10)) {
      let over = this.overflow.get(facts.action);
      if (!over) this.overflow.set(facts.action, (over = { count: 0, addresses: new Set(), names: new NameCounts(MAX_NAMES) }));
      over.count++;
      if (over.addresses.size < MAX_OVERFLOW_ADDRESSES) over.addresses.add(address);
      over.names.add(facts.username);
      return;
    }
    this.pending.set(key, { first: facts, address, repeats: 0, names: new NameCounts(MAX_NAMES), since: Date.now() });
    this.write(facts, null);
  }

  /** Writes the counts so far and starts a new window. */
  flush(): void {
    const closing = this.pending;
    const overflow = this.overflow;
    this.pending = new Map();
    this.overflow = new Map();
    for (const { first, address, repeats, names, since } of closing.values()) {
      if (repeats === 0) continue;
      const ip = address === "unknown" ? undefined : address;
      this.write({ ...first, username: names.single ?? "", ip }, { repeated: repeats, since: new Date(since).toISOString(), ...names.toJSON() });
    }
    for (const [action, { count, addresses, names }] of overflow) {
      this.write(
        { action, username: names.single ?? "", ip: undefined, userAgent: undefined },
        {
          repeated: count,
          addresses: addresses.size,
          ...(addresses.size >= MAX_OVERFLOW_ADDRESSES ? { atLeast: true } : {}),
          ...names.toJSON(),
          note: "from more addresses than the audit keeps apart in a minute",
        },
      );
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
          username: printable(facts.username) || null,
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
