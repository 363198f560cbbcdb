import type { PrismaClient } from "../generated/postgres/client.js";
import type { AccessToken } from "../generated/prisma/client.js";
import type { NewToken, RotateOutcome, TokenWriter, TooManyTokens } from "../contracts.js";
import type { OutboxEvent } from "../webhook-contracts.js";
import { retryConflicts } from "./retry.js";
import { tokenEndsAt as endOf } from "./rows.js";

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
interface LockedToken {
  id: string;
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  rotatedAt: Date | null;
  pausedAt: Date | null;
  familyId: string | null;
  parentId: string | null;
}

/** Locks rows against concurrent writers until the transaction ends (readers are not blocked). */
async function lock(tx: Tx, ids: readonly string[]): Promise<LockedToken[]> {
  if (ids.length === 0) return [];
  return tx.$queryRaw<LockedToken[]>`
    SELECT "id", "userId", "expiresAt", "revokedAt", "rotatedAt", "pausedAt", "familyId", "parentId"
      FROM "AccessToken" WHERE "id" = ANY(${ids}::text[]) ORDER BY "id" FOR UPDATE`;
}

/**
 * A shared lock on a parent: many children may be created under it at once, while ending it
 * (which takes FOR UPDATE, as UPDATE does) waits for them — or they wait for it and see it ended.
 */
async function lockShared(tx: Tx, id: string): Promise<LockedToken | undefined> {
  const [row] = await tx.$queryRaw<LockedToken[]>`
    SELECT "id", "userId", "expiresAt", "revokedAt", "rotatedAt", "pausedAt", "familyId", "parentId"
      FROM "AccessToken" WHERE "id" = ${id} FOR SHARE`;
  return row;
}

/**
 * Ends `roots` and their descendants at `at`: one recursive UPDATE over the whole lineage (three
 * statements per level, as it was, made a chain of 20,000 links 60,000 round trips and passed
 * the transaction's time limit). A create under a member holds its parent
 * FOR SHARE until it commits, and our UPDATE waits for that lock: the child it commits is then
 * newer than the statement's snapshot. So the UPDATE runs again, with a newer snapshot, until a
 * pass ends nothing: a later create waits for our lock instead, and sees its parent ended.
 */
async function endLineage(tx: Tx, roots: readonly string[], at: Date): Promise<string[]> {
  const ended: string[] = [];
  // Each recursive step must find children by the parentId index: with one parent's children
  // dominating the statistics, the planner hashed the whole table at every step, and a chain of
  // 20,000 links took minutes.
  await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
  for (;;) {
    const moved = await tx.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE lineage("id") AS (
        SELECT unnest(${roots}::text[])
        UNION SELECT t."id" FROM "AccessToken" t JOIN lineage l ON t."parentId" = l."id"
      )
      UPDATE "AccessToken" SET "revokedAt" = ${at}
       WHERE "id" IN (SELECT "id" FROM lineage) AND ("revokedAt" IS NULL OR "revokedAt" > ${at}) RETURNING "id"`;
    if (moved.length === 0) break;
    for (const row of moved) ended.push(row.id);
  }
  await tx.$executeRaw`SET LOCAL enable_seqscan = on`;
  return ended;
}

/**
 * Ending a lineage is a few statements whatever its size, but each row it ends costs PostgreSQL
 * an update of every index (revokedAt is indexed) and a feed entry: ~10 µs a row on a quiet
 * machine, several times that on a loaded one. 100,000 rows passed the 15 s every other
 * transaction gets (open.ts), and a revoke acknowledged late beats a 500 that ends nothing.
 */
const LINEAGE_TIMEOUT_MS = 120_000;

type ParentRefusal = { ok: false; reason: "parent_ended" } | { ok: false; reason: "outlives_parent"; parentEndsAt: number };

async function checkParent(tx: Tx, parentId: string | null, childExpiresAt: number, now: number): Promise<ParentRefusal | null> {
  if (parentId === null) return null;
  const parent = await lockShared(tx, parentId);
  if (!parent || endOf(parent) <= now) return { ok: false, reason: "parent_ended" };
  if (childExpiresAt > endOf(parent)) return { ok: false, reason: "outlives_parent", parentEndsAt: endOf(parent) };
  return null;
}

/** The user's unexpired tokens, revoked ones included, counted no further than the limit. */
async function overLimit(tx: Tx, userId: string, now: number, maxPerUser: number | undefined): Promise<TooManyTokens | null> {
  if (maxPerUser === undefined) return null;
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::integer AS "n" FROM (SELECT 1 FROM "AccessToken" WHERE "userId" = ${userId} AND "expiresAt" > ${new Date(now)} LIMIT ${maxPerUser}) AS unexpired`;
  return (row?.n ?? 0) >= maxPerUser ? { ok: false, reason: "too_many_tokens", limit: maxPerUser } : null;
}

const insert = (tx: Tx, t: NewToken): Promise<AccessToken> =>
  tx.accessToken.create({
    data: { ...t, createdAt: new Date(t.createdAt), expiresAt: new Date(t.expiresAt) },
  }) as Promise<AccessToken>;

/** The webhook outbox: events commit with the change they report, or not at all. */
export async function writeEvents(tx: Tx, events: readonly OutboxEvent[] | undefined): Promise<void> {
  if (!events || events.length === 0) return;
  await tx.webhookEvent.createMany({ data: events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })) });
}

/**
 * Token writes on PostgreSQL that take several statements: Prisma interactive transactions, with
 * row locks where a check guards a write (creation is one statement: token-create.ts).
 */
export function createPostgresTokenWriter(prisma: PrismaClient): Omit<TokenWriter, "create" | "setPaused"> {
  const transaction = <T>(work: (tx: Tx) => Promise<T>, timeout?: number) =>
    retryConflicts(() => prisma.$transaction(work, timeout === undefined ? undefined : { timeout }));
  return {
    rotate: (input) =>
      transaction(async (tx): Promise<RotateOutcome> => {
        const { now } = input;
        const [old] = await lock(tx, [input.oldId]);
        if (!old || old.userId !== input.userId || endOf(old) <= now) return { ok: false, reason: "not_found" };
        if (old.rotatedAt !== null) return { ok: false, reason: "already_rotated" };
        if (old.pausedAt !== null) return { ok: false, reason: "paused" };
        const parentId = input.rotatedBy !== null && input.rotatedBy !== old.id ? input.rotatedBy : old.parentId;
        const replacement: NewToken = { ...input.replacement, familyId: old.familyId ?? old.id, parentId };
        const refused = (await checkParent(tx, parentId, replacement.expiresAt, now)) ?? (await overLimit(tx, input.userId, now, input.maxPerUser));
        if (refused) return refused.reason === "parent_ended" ? { ok: false, reason: "not_found" } : refused;
        const stopsAt = Math.min(old.expiresAt.getTime(), now + input.overlapMs);
        const token = await insert(tx, replacement);
        await tx.accessToken.update({
          where: { id: old.id },
          data: { familyId: replacement.familyId, rotatedAt: new Date(now), replacedById: replacement.id, revokedAt: new Date(stopsAt) },
        });
        // What the old token created stops with it (the replacement is the parent's child, not the old token's).
        await endLineage(tx, [old.id], new Date(stopsAt));
        await writeEvents(tx, input.events);
        return { ok: true, token, oldStopsAt: stopsAt };
      }),

    endLineage: (input) =>
      transaction(async (tx) => {
        const rows = await lock(tx, input.ids);
        const roots = rows.filter((r) => endOf(r) > input.at && (input.owner === null || r.userId === input.owner)).map((r) => r.id);
        const ended = roots.length === 0 ? [] : await endLineage(tx, roots, new Date(input.at));
        await writeEvents(tx, input.events?.(roots, ended));
        return { roots, ended };
      }, LINEAGE_TIMEOUT_MS),

    endFamily: (familyId, at, events, audit) =>
      transaction(async (tx) => {
        const members = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "AccessToken" WHERE "familyId" = ${familyId} OR "id" = ${familyId}`;
        const ended = await endLineage(tx, members.map((m) => m.id), new Date(at));
        await writeEvents(tx, events?.(ended));
        const rows = audit?.(ended) ?? [];
        if (rows.length > 0) await tx.auditEvent.createMany({ data: rows.map((row) => ({ ...row, at: new Date(at) })) });
        return ended;
      }, LINEAGE_TIMEOUT_MS),
  };
}
