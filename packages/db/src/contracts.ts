import type { AccessToken } from "./generated/prisma/client.js";
import type { OutboxEvent } from "./webhook-contracts.js";

/**
 * Storage contracts: what the service needs from a database, one implementation per database.
 * Everything that must be atomic (rotation, lineage, attempt counting) is one call here, so no
 * caller can split a check from its write.
 */

/** What authenticating a Bearer token needs from the database. */
export interface TokenAuthRecord {
  userId: string;
  username: string;
  isAdmin: boolean;
  /** The user may introspect any user's tokens (see the api's introspection-policy.ts). */
  introspectAny: boolean;
  /** "service" for a service account's token: forward auth and introspection say so. */
  accountType: "person" | "service";
  tokenHash: string;
  expiresAt: number;
  /** When it stops (or stopped) working; may lie ahead while a rotation overlaps. */
  revokedAt: number | null;
  /** Allowed endpoints; null allows all. */
  endpoints: string[] | null;
  rotatedAt: number | null;
  familyId: string | null;
  /** While paused (epoch ms it was paused at): refused everywhere, until resumed. */
  pausedAt: number | null;
  /** At most this many requests per fixed window; null: no limit. */
  rateLimit: { requests: number; windowSeconds: number } | null;
  /** CIDR ranges (canonical) it may be used from; null: any address. */
  allowedIps: string[] | null;
  /** At most this many allowed uses in all (spent through UseStore, never read from a cache); null: no limit. */
  maxUses: number | null;
  /** The audiences it was signed for (`aud`); null: none. */
  audience: string[] | null;
  /** RFC 7638 thumbprint of the key every use must prove (DPoP, RFC 9449); null: a plain Bearer token. */
  dpopJkt: string | null;
}

/** SQLite answers synchronously, PostgreSQL does not: callers await either. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The reads behind Bearer authentication, get and list: the hot path. Implementations cache token
 * rows in process and must never serve a row that a committed write has changed.
 */
export interface TokenReader {
  authRecord(tokenId: string): MaybePromise<TokenAuthRecord | undefined>;
  /**
   * One of the user's tokens still in force (not revoked, or in a rotation's overlap), in Prisma's shape.
   * `readThisRequest`: the caller read this token's auth record earlier in the same request, so a
   * cache may skip asking again whether anything changed (that check already covered everything
   * committed before the request arrived).
   */
  activeToken(tokenId: string, userId: string, readThisRequest?: boolean): MaybePromise<AccessToken | undefined>;
  /** The user's tokens still in force, newest first (never cached; tokenHash left empty). */
  activeTokens(userId: string): MaybePromise<AccessToken[]>;
  /** One page of a user's tokens, searched, filtered and sorted (ties by id): the dashboard's list. */
  search(query: TokenQuery): MaybePromise<TokenPage>;
  /** Forget every cached row: call after this process writes tokens or users. */
  invalidate(): void;
  close(): MaybePromise<void>;
}

/** A token row to insert; dates are epoch ms. */
export interface NewToken {
  id: string;
  userId: string;
  description: string;
  lifeSeconds: number;
  tokenHash: string;
  /** JSON array of patterns, or null for every endpoint. */
  endpoints: string | null;
  familyId: string | null;
  parentId: string | null;
  /** The kid of the key that signed it. */
  signingKeyId: string | null;
  rateLimitRequests: number | null;
  rateLimitSeconds: number | null;
  /** JSON array of canonical CIDR ranges, or null for any address. */
  allowedIps: string | null;
  /** At most this many allowed uses in all; null: no limit. */
  maxUses: number | null;
  /** Uses it starts with (maxUses for a new token). */
  usesLeft: number | null;
  /** JSON array of audiences, or null for none. */
  audience: string | null;
  /** The DPoP key thumbprint it is bound to, or null. */
  dpopJkt: string | null;
  createdAt: number;
  expiresAt: number;
}

/** An audit event written in the same transaction as the change it records. */
export interface AuditRow {
  action: string;
  userId: string | null;
  username: string | null;
  tokenId: string | null;
  ip: string | null;
  userAgent: string | null;
  /** JSON text. */
  detail: string | null;
}

/** The user already holds `limit` unexpired tokens (revoked ones included): no more until some expire. */
export type TooManyTokens = { ok: false; reason: "too_many_tokens"; limit: number };

export type CreateOutcome =
  | { ok: true; token: AccessToken }
  /** The parent stopped working before the child could be written. */
  | { ok: false; reason: "parent_ended" }
  /** The child would outlive its parent, which ends at `parentEndsAt`. */
  | { ok: false; reason: "outlives_parent"; parentEndsAt: number }
  | TooManyTokens;

export type RotateOutcome =
  | { ok: true; token: AccessToken; oldStopsAt: number }
  | { ok: false; reason: "not_found" | "already_rotated" }
  | { ok: false; reason: "outlives_parent"; parentEndsAt: number }
  | TooManyTokens;

export interface TokenWriter {
  /**
   * Inserts a token. With a parent, atomically: the parent must still be in force, and the child
   * must not outlive it (its expiry, its revocation, or the end of its rotation overlap). With
   * `maxPerUser`, the user must hold fewer unexpired tokens than that, revoked ones included (the
   * revocation feed names each until it expires); on PostgreSQL, creates racing at the limit
   * may each pass it once (at most as many as run at that moment).
   */
  create(token: NewToken, now: number, audit?: AuditRow, events?: readonly OutboxEvent[], maxPerUser?: number): Promise<CreateOutcome>;
  /**
   * Replaces one of `userId`'s tokens in force that was never rotated — exactly one concurrent
   * rotation wins. The old token and everything created from it stop at min(its expiry, now +
   * overlapMs). The replacement joins the old token's family (filled in here); its parent is
   * `rotatedBy` when another token's request rotated it, else the old token's parent — and it may
   * not outlive that parent.
   */
  rotate(input: {
    oldId: string;
    userId: string;
    replacement: NewToken;
    /** The token whose Bearer request asks for the rotation, if any. */
    rotatedBy: string | null;
    overlapMs: number;
    now: number;
    /** Webhook events, written to the outbox only if the rotation happens, in its transaction. */
    events?: readonly OutboxEvent[];
    /** As for create: the replacement is one more unexpired token, and the old one stays one until it expires. */
    maxPerUser?: number;
  }): Promise<RotateOutcome>;
  /**
   * Ends tokens at `at` and, transitively, every token created from them; a token already ending
   * earlier keeps its earlier end. Roots must be in force (and `owner`'s, unless owner is null);
   * returns the roots that were, and every id whose end moved.
   */
  endLineage(input: {
    ids: string[];
    owner: string | null;
    at: number;
    /** Webhook events for what was ended, written in the same transaction. */
    events?: (roots: string[], ended: string[]) => OutboxEvent[];
  }): Promise<{ roots: string[]; ended: string[] }>;
  /** Reuse detection: a family's tokens in force and their descendants end at `at`, with their events and audit rows. */
  endFamily(familyId: string, at: number, events?: (ended: string[]) => OutboxEvent[], audit?: (ended: string[]) => AuditRow[]): Promise<string[]>;
  /**
   * Pauses a token in force and not expired (`owner`'s, or any user's for owner null) with every
   * token created from it, or resumes exactly what its pause paused: one transaction with its
   * audit row and events. Every instance refuses (or accepts) it from the next request on.
   */
  setPaused(input: PauseInput): Promise<PauseOutcome>;
}

/** The owner's username beside the row: audit and events name whose token it is. */
export type PausedToken = AccessToken & { username: string };
export interface PauseInput {
  id: string;
  owner: string | null;
  change: "pause" | "resume";
  now: number;
  /** A token may be paused this many times in all (each pause and resume is a feed entry). */
  maxPauses: number;
  /** `affected`: the tokens created from it that were paused (or resumed) with it. */
  audit: (token: PausedToken, affected: string[]) => AuditRow;
  events: (token: PausedToken, affected: string[]) => OutboxEvent[];
}
export type PauseOutcome =
  | { ok: true; token: AccessToken; affected: string[] }
  | { ok: false; reason: "not_found" | "already_paused" | "not_paused" | "too_many_pauses" }
  /** It was paused with the token that created it (`parentId`): that one is resumed, not this. */
  | { ok: false; reason: "paused_with_parent"; parentId: string };

export interface AttemptLimit {
  key: string;
  limit: number;
  windowMs: number;
}

export type AttemptOutcome = { ok: true } | { ok: false; retryAfterMs: number; key: string };

/**
 * Counts credential attempts per key in fixed windows. `take` is atomic across every key and every
 * process sharing the database: it counts one attempt on each key, unless one of them is already at
 * its limit, in which case it counts nothing and says how long to wait.
 */
export interface AttemptCounter {
  take(limits: readonly AttemptLimit[], now: number): Promise<AttemptOutcome>;
  /** Gives attempts back (a right password), and forgets `clear` keys entirely. */
  settle(input: { refund: readonly string[]; clear: readonly string[] }, now: number): Promise<void>;
  /** Deletes up to `batch` windows that have ended; returns how many. */
  prune(now: number, batch: number): Promise<number>;
}

export interface AccountWriter {
  /** A new password and the end of every session and known client of that user, in one step. */
  resetPassword(userId: string, passwordHash: string): Promise<void>;
}

export type KeyState = "next" | "current" | "retired";

export interface StoredSigningKey {
  kid: string;
  alg: string;
  state: KeyState;
  /** JSON; null for HS256. */
  publicJwk: string | null;
  /** Sealed with the master secret: useless without it. */
  sealedKey: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

export interface KeyUsage {
  /** Tokens in force and not expired. */
  live: number;
  /** The latest expiry of any token it signed: until then it must stay published. */
  lastExpiresAt: number | null;
}

export interface KeyStore {
  list(): Promise<StoredSigningKey[]>;
  insert(key: Omit<StoredSigningKey, "createdAt" | "activatedAt" | "retiredAt">, now: number): Promise<void>;
  /**
   * Atomically makes the "next" key `kid` current and retires the current one. Several instances
   * may try at once: one succeeds, the others find it done (false).
   */
  activate(kid: string, now: number): Promise<boolean>;
  /** Deletes a retired key. */
  remove(kid: string): Promise<void>;
  usage(now: number): Promise<Map<string, KeyUsage>>;
  /** Tokens of older releases (no signing key recorded) are counted against `kid` from now on. */
  adopt(kid: string): Promise<number>;
}

export interface RevocationEntry {
  seq: number;
  tokenId: string;
  /** Epoch ms: when it stops (or stopped) working. */
  endsAt: number;
  /** Epoch ms: the token's expiry; the entry matters until then. */
  expiresAt: number;
  /** What happened: an end (revoke), or a pause, or a resume (which undoes only a pause). */
  kind: RevocationKind;
}

export type RevocationKind = "revoke" | "pause" | "resume";

/** The revocation feed, in sequence (= commit) order. */
export interface RevocationLog {
  /** Entries after `seq`, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<RevocationEntry[]>;
  /** Entries of tokens not yet expired, oldest first: a snapshot for a new follower. */
  active(now: number): Promise<RevocationEntry[]>;
  /** The newest sequence number (0 for none yet). */
  latestSeq(): Promise<number>;
  /** Deletes up to `batch` entries of expired tokens. */
  prune(now: number, batch: number): Promise<number>;
  /** Called when entries may have been appended (and after any gap in watching). */
  watch(onAppend: () => void): () => void;
}

/** Rows one retention batch deleted, or "busy": another instance is pruning right now. */
export type PruneResult = number | "busy";

/**
 * Deletes what is kept no longer, at most `batch` rows per call, so that no call holds the SQLite
 * write lock (or PostgreSQL's row locks) for long. Every call is idempotent: instances sharing a
 * database may run them at once; on PostgreSQL one holds a lock and the others answer "busy".
 */
export interface RetentionStore {
  /** Dashboard sessions that expired at or before `now`. */
  deleteExpiredSessions(now: number, batch: number): Promise<PruneResult>;
  /** Audit events recorded before `before`. */
  deleteAuditEvents(before: number, batch: number): Promise<PruneResult>;
  /**
   * Tokens that ended — expired, or revoked — at or before `endedBefore`, and whose JWT expired at
   * or before `now`, with their usage counts and revocation-feed rows. A token whose JWT still
   * verifies keeps its row whatever its age: Bearer checks and the feed refuse it by that row.
   */
  deleteEndedTokens(endedBefore: number, now: number, batch: number): Promise<PruneResult>;
  /** Hourly usage counts of hours that began before `before` (older than any usage chart shows). */
  deleteUsageBefore(before: number, batch: number): Promise<PruneResult>;
}

export type UsageOutcome = "allowed" | "unauthorized" | "forbidden" | "limited";

export interface UsageRow {
  tokenId: string;
  /** Epoch ms of the start of the hour (UTC). */
  hour: number;
  allowed: number;
  unauthorized: number;
  forbidden: number;
  limited: number;
}

export interface UsageStore {
  /** Adds counts as increments (instances adding the same hour add up), all rows or none. Rows are unique by (token, hour). */
  add(rows: readonly UsageRow[]): Promise<void>;
  /** A token's hours from `from` (inclusive) to `to` (exclusive), oldest first. */
  hours(tokenId: string, from: number, to: number): Promise<UsageRow[]>;
}

/**
 * What the token list can be narrowed to: "in force" (the default) is everything not revoked;
 * "active" is what still works (valid or expiring), "inactive" what no longer does (expired or revoked).
 */
export type TokenStateFilter = "all" | "in_force" | "active" | "inactive" | "valid" | "expiring" | "expired" | "revoked";

export interface TokenQuery {
  /** Whose tokens; null: every user's (administrators). */
  userId: string | null;
  /** Words, each in the description (case-insensitive) or starting the id, in any order. */
  text?: string;
  state?: TokenStateFilter;
  /** limited: tokens with an endpoint list; all: tokens allowed every endpoint. */
  endpoints?: "limited" | "all";
  sort: "created" | "expires" | "last_used";
  order: "asc" | "desc";
  offset: number;
  limit: number;
  now: number;
}

export interface TokenPage {
  tokens: AccessToken[];
  /** How many match the query in all. */
  total: number;
}

/** Requests counted against per-token rate limits, per fixed window, shared by every instance. */
export interface RateWindowStore {
  /** Adds `delta` (0 to read) to the token's count for the window starting at `windowStart` (epoch s); the new total. */
  add(tokenId: string, windowStart: number, delta: number): Promise<number>;
  /** Deletes windows that started before `before` (epoch s); how many. */
  prune(before: number): Promise<number>;
}


/**
 * DPoP proofs seen (RFC 9449 §11.1): a proof is accepted once, across every instance and worker
 * sharing the database. Keys are fixed-length hashes; rows live until `expiresAt` and are pruned.
 */
export interface DpopProofStore {
  /** Records a proof; false when it was recorded before (a replay). Atomic across processes. */
  claim(key: string, expiresAt: number): Promise<boolean>;
  /** Deletes up to `batch` proofs that expired at or before `now`; how many. */
  prune(now: number, batch: number): Promise<number>;
}
