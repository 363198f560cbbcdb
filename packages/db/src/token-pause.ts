import type { AccessToken } from "./generated/prisma/client.js";
import type { AuditRow, PauseInput, PauseOutcome } from "./contracts.js";
import type { Db } from "./database.js";
import { inForceWhere } from "./in-force.js";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Every token created from `rootId` (transitively) that a pause reaches: in force, not expired and
 * not paused already (a token paused on its own has paused its lineage itself). A level at a time.
 */
async function lineage(tx: Tx, rootId: string, now: Date): Promise<string[]> {
  const found = new Set<string>([rootId]);
  let level = [rootId];
  while (level.length > 0) {
    const children = await tx.accessToken.findMany({ where: { parentId: { in: level }, expiresAt: { gt: now }, pausedAt: null, ...inForceWhere(now) }, select: { id: true } });
    level = children.map((c) => c.id).filter((id) => !found.has(id));
    for (const id of level) found.add(id);
  }
  found.delete(rootId);
  return [...found];
}

class Refused extends Error {
  constructor(readonly outcome: Exclude<PauseOutcome, { ok: true }>) {
    super(outcome.reason);
  }
}

/**
 * Pause and resume through Prisma, the same on both databases (the feed entries are written by
 * the token_pause triggers): one transaction each, with its audit row and webhook event.
 * A pause takes every token created from the token along (pausedBy names it); a resume brings
 * back exactly what that pause paused, and only once the token that created it is not paused.
 */
export function createTokenPause(db: Db): (input: PauseInput) => Promise<PauseOutcome> {
  return async (input) => {
    const now = new Date(input.now);
    const where = { id: input.id, ...(input.owner === null ? {} : { userId: input.owner }), expiresAt: { gt: now }, ...inForceWhere(now) };
    try {
      return await db.$transaction(async (tx) => {
        const token = await tx.accessToken.findFirst({ where, include: { user: { select: { username: true } } } });
        if (!token) throw new Refused({ ok: false, reason: "not_found" });
        let affected: string[];
        if (input.change === "pause") {
          if (token.pausedAt !== null) throw new Refused({ ok: false, reason: "already_paused" });
          if (token.pauseCount >= input.maxPauses) throw new Refused({ ok: false, reason: "too_many_pauses" });
          // Conditional: of two pauses at once, one wins.
          const { count } = await tx.accessToken.updateMany({
            where: { ...where, pausedAt: null, pauseCount: { lt: input.maxPauses } },
            data: { pausedAt: now, pausedBy: input.id, pauseCount: { increment: 1 } },
          });
          if (count === 0) throw new Refused({ ok: false, reason: "already_paused" });
          affected = await lineage(tx, input.id, now);
          if (affected.length > 0) await tx.accessToken.updateMany({ where: { id: { in: affected }, pausedAt: null }, data: { pausedAt: now, pausedBy: input.id } });
        } else {
          if (token.pausedAt === null) throw new Refused({ ok: false, reason: "not_paused" });
          // Everything below a paused token is paused: it comes back with that token, never alone.
          const parent = token.parentId === null ? null : await tx.accessToken.findUnique({ where: { id: token.parentId }, select: { pausedAt: true } });
          if (parent?.pausedAt != null || token.pausedBy !== input.id) throw new Refused({ ok: false, reason: "paused_with_parent", parentId: token.pausedBy ?? token.parentId ?? "" });
          const scope = { pausedBy: input.id, userId: token.userId, pausedAt: { not: null } };
          affected = (await tx.accessToken.findMany({ where: { ...scope, NOT: { id: input.id } }, select: { id: true } })).map((t) => t.id);
          const { count } = await tx.accessToken.updateMany({ where: scope, data: { pausedAt: null, pausedBy: null } });
          if (count === 0) throw new Refused({ ok: false, reason: "not_paused" });
        }
        const owner = { ...token, username: token.user.username };
        const audit: AuditRow = input.audit(owner, affected);
        await tx.auditEvent.create({ data: { ...audit, at: now } });
        const events = input.events(owner, affected);
        if (events.length > 0) await tx.webhookEvent.createMany({ data: events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })) });
        const after = (await tx.accessToken.findUnique({ where: { id: input.id } })) as AccessToken;
        return { ok: true as const, token: after, affected };
      });
    } catch (error) {
      if (error instanceof Refused) return error.outcome;
      throw error;
    }
  };
}
