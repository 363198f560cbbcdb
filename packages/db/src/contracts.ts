import type { AccessToken } from "./generated/prisma/client.js";
import type { TokenPage, TokenQuery } from "./store-contracts.js";
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
  /**
   * The user's tokens that `parentId` created, newest first (ties by id), at most `limit`: read from
   * the (parentId, createdAt, id) index, however many tokens the user has. Never cached.
   */
  childrenOf(parentId: string, userId: string, limit: number): MaybePromise<AccessToken[]>;
  /** Forget every cached row: call after this process writes tokens or users. */
  invalidate(): void;
  /**
   * After a committed write that takes a power away: resolves once every other process that
   * caches rows has dropped what it changed (at once on SQLite, where each read checks for commits;
   * on PostgreSQL, once every instance has acknowledged it, 1 s at most: ChangeFeed.settled).
   */
  settled(): Promise<void>;
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
  | { ok: false; reason: "not_found" | "already_rotated" | "paused" }
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
   * Replaces one of `userId`'s tokens in force that was never rotated and is not paused (a pause
   * is undone by its resume, never by a rotation: the replacement would not be paused) — exactly
   * one concurrent rotation wins, and a pause committed first refuses it. The old token and
   * everything created from it stop at min(its expiry, now + overlapMs). The replacement joins
   * the old token's family (filled in here); its parent is `rotatedBy` when another token's
   * request rotated it, else the old token's parent — and it may not outlive that parent.
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

export type * from "./store-contracts.js";
