import type { Database } from "better-sqlite3";
import type { AuditRow, CreateOutcome, NewToken, RotateOutcome, TokenWriter, TooManyTokens } from "../contracts.js";
import type { OutboxEvent } from "../webhook-contracts.js";
import { sqliteDate } from "./dates.js";
import { TOKEN_COLUMNS, toAccessToken, type TokenRow } from "./rows.js";
import type { WriteGate } from "./write-gate.js";
import { createSqliteOutbox } from "./outbox.js";

/** When a token stops working: the earlier of its expiry and its (possibly future) revocation. */
const endOf = (row: Pick<TokenRow, "expiresAt" | "revokedAt">): number =>
  Math.min(Date.parse(row.expiresAt), row.revokedAt === null ? Infinity : Date.parse(row.revokedAt));

/**
 * Token writes on SQLite. Each one is a synchronous IMMEDIATE transaction on the connection Prisma
 * uses: it takes the write lock first, reads what it checks and writes in one tick, so no other
 * request, process or instance can come between the check and the write.
 */
export function createSqliteTokenWriter(conn: Database, gate: WriteGate): Omit<TokenWriter, "setPaused"> {
  const statement = (sql: string) => conn.prepare(sql).safeIntegers(false);
  const insert = statement(
    `INSERT INTO "AccessToken" ("id", "userId", "description", "lifeSeconds", "tokenHash", "endpoints", "familyId", "parentId", "signingKeyId", "createdAt", "expiresAt",
                                "rateLimitRequests", "rateLimitSeconds", "allowedIps", "maxUses", "usesLeft", "audience", "dpopJkt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = statement(`SELECT ${TOKEN_COLUMNS} FROM "AccessToken" t WHERE t."id" = ?`);
  const markRotated = statement(
    `UPDATE "AccessToken" SET "familyId" = ?, "rotatedAt" = ?, "replacedById" = ?, "revokedAt" = ? WHERE "id" = ?`,
  );
  // Every descendant by creation (parentId), transitively; UNION (not ALL) stops at rows already seen.
  const endDescendants = statement(
    `WITH RECURSIVE lineage("id") AS (
       SELECT value FROM json_each(?)
       UNION SELECT t."id" FROM "AccessToken" t JOIN lineage l ON t."parentId" = l."id"
     )
     UPDATE "AccessToken" SET "revokedAt" = ?
      WHERE "id" IN (SELECT "id" FROM lineage) AND ("revokedAt" IS NULL OR "revokedAt" > ?)
     RETURNING "id"`,
  );
  const familyMembers = statement(`SELECT "id" FROM "AccessToken" WHERE "familyId" = ? OR "id" = ?`);
  // A user's unexpired tokens, revoked ones included, counted no further than the limit (from the userId, expiresAt index).
  const unexpired = statement(`SELECT count(*) FROM (SELECT 1 FROM "AccessToken" WHERE "userId" = ? AND "expiresAt" > ? LIMIT ?)`).pluck();
  const overLimit = (userId: string, now: number, maxPerUser: number | undefined): TooManyTokens | null =>
    maxPerUser !== undefined && (unexpired.get(userId, sqliteDate(now), maxPerUser) as number) >= maxPerUser
      ? { ok: false, reason: "too_many_tokens", limit: maxPerUser }
      : null;

  const read = (id: string) => byId.get(id) as TokenRow | undefined;
  const insertRow = (t: NewToken) =>
    insert.run(
      t.id,
      t.userId,
      t.description,
      t.lifeSeconds,
      t.tokenHash,
      t.endpoints,
      t.familyId,
      t.parentId,
      t.signingKeyId,
      sqliteDate(t.createdAt),
      sqliteDate(t.expiresAt),
      t.rateLimitRequests,
      t.rateLimitSeconds,
      t.allowedIps,
      t.maxUses,
      t.usesLeft,
      t.audience,
      t.dpopJkt,
    );
  const endLineageNow = (ids: string[], at: number): string[] => {
    if (ids.length === 0) return [];
    const stamp = sqliteDate(at);
    return (endDescendants.all(JSON.stringify(ids), stamp, stamp) as { id: string }[]).map((r) => r.id);
  };
  /** The parent's end, or an outcome that refuses the child. */
  const parentCheck = (parentId: string | null, childExpiresAt: number, now: number): { ok: false; reason: "parent_ended" } | { ok: false; reason: "outlives_parent"; parentEndsAt: number } | null => {
    if (parentId === null) return null;
    const parent = read(parentId);
    if (!parent || endOf(parent) <= now) return { ok: false, reason: "parent_ended" };
    if (childExpiresAt > endOf(parent)) return { ok: false, reason: "outlives_parent", parentEndsAt: endOf(parent) };
    return null;
  };

  const insertAudit = statement(
    `INSERT INTO "AuditEvent" ("at", "action", "userId", "username", "tokenId", "ip", "userAgent", "detail") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const writeEvents = createSqliteOutbox(conn);
  // The token, its audit event and its webhook events commit together, or none does.
  const create = conn.transaction((token: NewToken, now: number, audit: AuditRow | undefined, events: readonly OutboxEvent[] | undefined, maxPerUser: number | undefined): CreateOutcome => {
    const refused = parentCheck(token.parentId, token.expiresAt, now) ?? overLimit(token.userId, now, maxPerUser);
    if (refused) return refused;
    insertRow(token);
    if (audit) insertAudit.run(sqliteDate(now), audit.action, audit.userId, audit.username, audit.tokenId, audit.ip, audit.userAgent, audit.detail);
    writeEvents(events);
    return { ok: true, token: toAccessToken(read(token.id)!) };
  });

  const rotate = conn.transaction((input: Parameters<TokenWriter["rotate"]>[0]): RotateOutcome => {
    const { now } = input;
    const old = read(input.oldId);
    if (!old || old.userId !== input.userId || endOf(old) <= now) return { ok: false, reason: "not_found" };
    if (old.rotatedAt !== null) return { ok: false, reason: "already_rotated" };
    if (old.pausedAt !== null) return { ok: false, reason: "paused" };
    const parentId = input.rotatedBy !== null && input.rotatedBy !== old.id ? input.rotatedBy : old.parentId;
    const replacement: NewToken = { ...input.replacement, familyId: old.familyId ?? old.id, parentId };
    const refused = parentCheck(replacement.parentId, replacement.expiresAt, now) ?? overLimit(input.userId, now, input.maxPerUser);
    if (refused) return refused.reason === "parent_ended" ? { ok: false, reason: "not_found" } : refused;
    const stopsAt = Math.min(Date.parse(old.expiresAt), now + input.overlapMs);
    insertRow(replacement);
    markRotated.run(replacement.familyId, sqliteDate(now), replacement.id, sqliteDate(stopsAt), old.id);
    // What the old token created stops with it (the replacement is the parent's child, not the old token's).
    endLineageNow([old.id], stopsAt);
    writeEvents(input.events);
    return { ok: true, token: toAccessToken(read(replacement.id)!), oldStopsAt: stopsAt };
  });

  const endLineage = conn.transaction((input: Parameters<TokenWriter["endLineage"]>[0]) => {
    const roots = input.ids.filter((id) => {
      const row = read(id);
      return row !== undefined && endOf(row) > input.at && (input.owner === null || row.userId === input.owner);
    });
    const ended = endLineageNow(roots, input.at);
    writeEvents(input.events?.(roots, ended));
    return { roots, ended };
  });

  const writeAudit = (rows: readonly AuditRow[] | undefined, at: number) => {
    for (const a of rows ?? []) insertAudit.run(sqliteDate(at), a.action, a.userId, a.username, a.tokenId, a.ip, a.userAgent, a.detail);
  };

  // From every member, ended or not: what a retired member created during its overlap ends too.
  const endFamily = conn.transaction(
    (familyId: string, at: number, events: ((ended: string[]) => OutboxEvent[]) | undefined, audit: ((ended: string[]) => AuditRow[]) | undefined): string[] => {
      const members = (familyMembers.all(familyId, familyId) as { id: string }[]).map((r) => r.id);
      const ended = endLineageNow(members, at);
      writeEvents(events?.(ended));
      writeAudit(audit?.(ended), at);
      return ended;
    },
  );

  return {
    create: (token, now, audit, events, maxPerUser) => gate.run(() => create.immediate(token, now, audit, events, maxPerUser)),
    rotate: (input) => gate.run(() => rotate.immediate(input)),
    endLineage: (input) => gate.run(() => endLineage.immediate(input)),
    endFamily: (familyId, at, events, audit) => gate.run(() => endFamily.immediate(familyId, at, events, audit)),
  };
}
