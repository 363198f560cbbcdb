import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/postgres/client.js";
import type { ClaimedDelivery, ExpiringToken, OutboxEvent, WebhookQueue } from "../webhook-contracts.js";
import { endpointWants } from "../webhook-match.js";
import { retryConflicts } from "./retry.js";

type ClaimRow = Omit<ClaimedDelivery, "eventCreatedAt"> & { eventCreatedAt: Date };
type ExpiringRow = Omit<ExpiringToken, "expiresAt" | "createdAt"> & { expiresAt: Date; createdAt: Date };

const eventData = (e: OutboxEvent, fannedOut: boolean) => ({ ...e, createdAt: new Date(e.createdAt), fannedOut });

/**
 * The webhook outbox on PostgreSQL. Several instances share it: fan-out and claims take rows with
 * FOR UPDATE SKIP LOCKED, so each event is fanned out once and each due delivery is claimed by one
 * instance; the claim moves nextAttemptAt past the lease, so a crashed instance's claims come due again.
 */
export function createPostgresWebhookQueue(prisma: PrismaClient): WebhookQueue {
  return {
    fanOut: (now, batch) =>
      retryConflicts(() =>
        prisma.$transaction(async (tx) => {
          const events = await tx.$queryRaw<Pick<OutboxEvent, "id" | "type" | "userId">[]>`
            SELECT "id", "type", "userId" FROM "WebhookEvent" WHERE "fannedOut" = false
             ORDER BY "createdAt" LIMIT ${batch} FOR UPDATE SKIP LOCKED`;
          if (events.length === 0) return 0;
          const endpoints = await tx.webhookEndpoint.findMany({ select: { id: true, userId: true, allUsers: true, events: true } });
          const deliveries = events.flatMap((event) =>
            endpoints
              .filter((endpoint) => endpointWants(endpoint, event))
              .map((endpoint) => ({ id: randomUUID(), eventId: event.id, endpointId: endpoint.id, state: "pending", nextAttemptAt: new Date(now), createdAt: new Date(now) })),
          );
          if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: deliveries });
          const wanted = new Set(deliveries.map((d) => d.eventId));
          await tx.webhookEvent.updateMany({ where: { id: { in: [...wanted] } }, data: { fannedOut: true } });
          // An event no endpoint wants has nowhere to go and nothing to show: not kept.
          await tx.webhookEvent.deleteMany({ where: { id: { in: events.map((e) => e.id).filter((id) => !wanted.has(id)) } } });
          return events.length;
        }),
      ),

    async claim(now, leaseMs, batch) {
      const rows = await prisma.$queryRaw<ClaimRow[]>`
        WITH due AS (
          SELECT "id" FROM "WebhookDelivery" WHERE "state" = 'pending' AND "nextAttemptAt" <= ${new Date(now)}
           ORDER BY "nextAttemptAt" LIMIT ${batch} FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE "WebhookDelivery" d SET "attempts" = d."attempts" + 1, "nextAttemptAt" = ${new Date(now + leaseMs)}
            FROM due WHERE d."id" = due."id"
          RETURNING d."id", d."eventId", d."endpointId", d."attempts"
        )
        SELECT c."id", c."eventId", v."type" AS "eventType", v."createdAt" AS "eventCreatedAt", v."payload",
               c."endpointId", e."url", e."sealedSecret", c."attempts" AS "attempt"
          FROM claimed c JOIN "WebhookEvent" v ON v."id" = c."eventId" JOIN "WebhookEndpoint" e ON e."id" = c."endpointId"`;
      return rows.map((row) => ({ ...row, eventCreatedAt: row.eventCreatedAt.getTime() }));
    },

    async settle(r) {
      await prisma.$transaction([
        prisma.webhookAttempt.create({
          data: { deliveryId: r.deliveryId, attempt: r.attempt, at: new Date(r.at), statusCode: r.statusCode, error: r.error, durationMs: r.durationMs, responseBody: r.responseBody },
        }),
        // Only while the claim is still ours: a lease that ran out may have been claimed elsewhere.
        prisma.webhookDelivery.updateMany({
          where: { id: r.deliveryId, attempts: r.attempt },
          data: { state: r.next.state, nextAttemptAt: new Date(r.next.state === "pending" ? r.next.at : r.at) },
        }),
      ]);
    },

    async redeliver(deliveryId, now) {
      const { count } = await prisma.webhookDelivery.updateMany({ where: { id: deliveryId, state: "failed" }, data: { state: "pending", nextAttemptAt: new Date(now) } });
      return count > 0;
    },

    async enqueueDirect(event, endpointId) {
      const id = randomUUID();
      await prisma.$transaction([
        prisma.webhookEvent.create({ data: eventData(event, true) }),
        prisma.webhookDelivery.create({
          data: { id, eventId: event.id, endpointId, state: "pending", nextAttemptAt: new Date(event.createdAt), createdAt: new Date(event.createdAt) },
        }),
      ]);
      return id;
    },

    noticeExpiring: (leadSeconds, now, batch, build) =>
      retryConflicts(() =>
        prisma.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<ExpiringRow[]>`
            SELECT t."id", t."userId", u."username", t."description", t."expiresAt", t."createdAt"
              FROM "AccessToken" t JOIN "User" u ON u."id" = t."userId"
             WHERE t."revokedAt" IS NULL AND t."expiresAt" > ${new Date(now)} AND t."expiresAt" <= ${new Date(now + leadSeconds * 1000)}
               AND t."lifeSeconds" > ${leadSeconds}
               AND NOT EXISTS (SELECT 1 FROM "TokenExpiryNotice" n WHERE n."tokenId" = t."id" AND n."leadSeconds" = ${leadSeconds})
               AND EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."allUsers" OR e."userId" = t."userId")
             LIMIT ${batch}`;
          if (rows.length === 0) return 0;
          // The primary key decides between instances: only the notices this transaction inserted send an event.
          const inserted = await tx.$queryRaw<{ tokenId: string }[]>`
            INSERT INTO "TokenExpiryNotice" ("tokenId", "leadSeconds", "sentAt")
            SELECT unnest(${rows.map((r) => r.id)}::text[]), ${leadSeconds}, ${new Date(now)}
            ON CONFLICT DO NOTHING RETURNING "tokenId"`;
          const mine = new Set(inserted.map((r) => r.tokenId));
          const events = rows
            .filter((row) => mine.has(row.id))
            .map((row) => build({ ...row, expiresAt: row.expiresAt.getTime(), createdAt: row.createdAt.getTime() }));
          if (events.length > 0) await tx.webhookEvent.createMany({ data: events.map((e) => eventData(e, false)) });
          return events.length;
        }),
      ),

    async prune(eventsBefore, noticesBefore) {
      await prisma.tokenExpiryNotice.deleteMany({ where: { sentAt: { lt: new Date(noticesBefore) } } });
      const { count } = await prisma.webhookEvent.deleteMany({ where: { createdAt: { lt: new Date(eventsBefore) } } });
      return count;
    },

    async backlog(limit) {
      // Bounded reads along the indexes ("fannedOut", "createdAt") and ("state", "nextAttemptAt").
      const [events] = await prisma.$queryRaw<{ n: number; oldest: Date | null }[]>`
        SELECT count(*)::int AS "n", min("createdAt") AS "oldest" FROM (
          SELECT "createdAt" FROM "WebhookEvent" WHERE "fannedOut" = false ORDER BY "createdAt" LIMIT ${limit}) AS waiting`;
      const [deliveries] = await prisma.$queryRaw<{ n: number; oldest: Date | null }[]>`
        SELECT count(*)::int AS "n", min("createdAt") AS "oldest" FROM (
          SELECT "createdAt" FROM "WebhookDelivery" WHERE "state" = 'pending' ORDER BY "nextAttemptAt" LIMIT ${limit}) AS pending`;
      const oldest = [events!.oldest, deliveries!.oldest].filter((at) => at !== null).map((at) => at.getTime());
      return { events: events!.n, deliveries: deliveries!.n, oldestAt: oldest.length > 0 ? Math.min(...oldest) : null };
    },
  };
}
