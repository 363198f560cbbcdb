import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { AttemptRecord, ClaimedDelivery, EndpointSubscription, ExpiringToken, OutboxEvent, WebhookQueue } from "../webhook-contracts.js";
import { endpointWants } from "../webhook-match.js";
import { sqliteDate } from "./dates.js";
import type { WriteGate } from "./write-gate.js";

interface ClaimRow {
  id: string;
  eventId: string;
  eventType: string;
  eventCreatedAt: string;
  payload: string;
  endpointId: string;
  url: string;
  sealedSecret: string;
  attempt: number;
}

/**
 * The webhook outbox on SQLite: each step is one synchronous IMMEDIATE transaction through the
 * write gate, so instances sharing the file take turns and a claim can never be taken twice.
 */
export function createSqliteWebhookQueue(conn: Database, gate: WriteGate): WebhookQueue {
  const statement = (sql: string) => conn.prepare(sql).safeIntegers(false);
  const newEvents = statement(`SELECT "id", "type", "userId" FROM "WebhookEvent" WHERE "fannedOut" = 0 ORDER BY "createdAt" LIMIT ?`);
  const subscriptions = statement(`SELECT "id", "userId", "allUsers", "events" FROM "WebhookEndpoint"`);
  const insertDelivery = statement(
    `INSERT INTO "WebhookDelivery" ("id", "eventId", "endpointId", "state", "attempts", "nextAttemptAt", "createdAt") VALUES (?, ?, ?, 'pending', 0, ?, ?)`,
  );
  const markFannedOut = statement(`UPDATE "WebhookEvent" SET "fannedOut" = 1 WHERE "id" = ?`);
  const dropEvent = statement(`DELETE FROM "WebhookEvent" WHERE "id" = ?`);
  // Plain reads first: a pass with nothing to do (the common case) takes no write lock.
  // Bounded reads along the indexes ("fannedOut", "createdAt") and ("state", "nextAttemptAt").
  const waitingEvents = statement(
    `SELECT count(*) AS "n", min("createdAt") AS "oldest" FROM (SELECT "createdAt" FROM "WebhookEvent" WHERE "fannedOut" = 0 ORDER BY "createdAt" LIMIT ?)`,
  );
  const pendingDeliveries = statement(
    `SELECT count(*) AS "n", min("createdAt") AS "oldest" FROM (SELECT "createdAt" FROM "WebhookDelivery" WHERE "state" = 'pending' ORDER BY "nextAttemptAt" LIMIT ?)`,
  );
  const anyNewEvent = statement(`SELECT 1 FROM "WebhookEvent" WHERE "fannedOut" = 0 LIMIT 1`);
  const anyDue = statement(`SELECT 1 FROM "WebhookDelivery" WHERE "state" = 'pending' AND "nextAttemptAt" <= ? LIMIT 1`);
  const due = statement(
    `SELECT d."id", d."eventId", v."type" AS "eventType", v."createdAt" AS "eventCreatedAt", v."payload", d."endpointId", e."url", e."sealedSecret", d."attempts" + 1 AS "attempt"
       FROM "WebhookDelivery" d JOIN "WebhookEvent" v ON v."id" = d."eventId" JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
      WHERE d."state" = 'pending' AND d."nextAttemptAt" <= ? ORDER BY d."nextAttemptAt" LIMIT ?`,
  );
  const lease = statement(`UPDATE "WebhookDelivery" SET "attempts" = "attempts" + 1, "nextAttemptAt" = ? WHERE "id" = ?`);
  const logAttempt = statement(
    `INSERT INTO "WebhookAttempt" ("deliveryId", "attempt", "at", "statusCode", "error", "durationMs", "responseBody") VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const dueAgain = statement(`UPDATE "WebhookDelivery" SET "state" = 'pending', "nextAttemptAt" = ? WHERE "id" = ? AND "state" = 'failed'`);
  // Only while the claim is still ours: a lease that ran out may have been claimed elsewhere.
  const moveOn = statement(`UPDATE "WebhookDelivery" SET "state" = ?, "nextAttemptAt" = ? WHERE "id" = ? AND "attempts" = ?`);
  const insertEvent = statement(
    `INSERT INTO "WebhookEvent" ("id", "type", "userId", "tokenId", "payload", "createdAt", "fannedOut") VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const expiring = statement(
    `SELECT t."id", t."userId", u."username", t."description", t."expiresAt", t."createdAt"
       FROM "AccessToken" t JOIN "User" u ON u."id" = t."userId"
      WHERE t."revokedAt" IS NULL AND t."expiresAt" > ? AND t."expiresAt" <= ? AND t."lifeSeconds" > ?
        AND NOT EXISTS (SELECT 1 FROM "TokenExpiryNotice" n WHERE n."tokenId" = t."id" AND n."leadSeconds" = ?)
        AND EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."allUsers" = 1 OR e."userId" = t."userId")
      LIMIT ?`,
  );
  const insertNotice = statement(`INSERT INTO "TokenExpiryNotice" ("tokenId", "leadSeconds", "sentAt") VALUES (?, ?, ?) ON CONFLICT DO NOTHING`);
  const pruneEvents = statement(`DELETE FROM "WebhookEvent" WHERE "createdAt" < ?`);
  const pruneNotices = statement(`DELETE FROM "TokenExpiryNotice" WHERE "sentAt" < ?`);

  const writeEvent = (e: OutboxEvent, fannedOut: boolean) =>
    insertEvent.run(e.id, e.type, e.userId, e.tokenId, e.payload, sqliteDate(e.createdAt), fannedOut ? 1 : 0);

  const fanOut = conn.transaction((now: number, batch: number): number => {
    const events = newEvents.all(batch) as Pick<OutboxEvent, "id" | "type" | "userId">[];
    if (events.length === 0) return 0;
    const endpoints = (subscriptions.all() as (Omit<EndpointSubscription, "allUsers"> & { allUsers: number })[]).map((e) => ({ ...e, allUsers: e.allUsers === 1 }));
    for (const event of events) {
      const wanting = endpoints.filter((endpoint) => endpointWants(endpoint, event));
      for (const endpoint of wanting) insertDelivery.run(randomUUID(), event.id, endpoint.id, sqliteDate(now), sqliteDate(now));
      // An event no endpoint wants has nowhere to go and nothing to show: not kept.
      if (wanting.length === 0) dropEvent.run(event.id);
      else markFannedOut.run(event.id);
    }
    return events.length;
  });

  const claim = conn.transaction((now: number, leaseMs: number, batch: number): ClaimedDelivery[] => {
    const rows = due.all(sqliteDate(now), batch) as ClaimRow[];
    for (const row of rows) lease.run(sqliteDate(now + leaseMs), row.id);
    return rows.map((row) => ({ ...row, eventCreatedAt: Date.parse(row.eventCreatedAt) }));
  });

  const settle = conn.transaction((r: AttemptRecord) => {
    logAttempt.run(r.deliveryId, r.attempt, sqliteDate(r.at), r.statusCode, r.error, r.durationMs, r.responseBody);
    moveOn.run(r.next.state, sqliteDate(r.next.state === "pending" ? r.next.at : r.at), r.deliveryId, r.attempt);
  });

  const enqueueDirect = conn.transaction((event: OutboxEvent, endpointId: string): string => {
    writeEvent(event, true);
    const id = randomUUID();
    insertDelivery.run(id, event.id, endpointId, sqliteDate(event.createdAt), sqliteDate(event.createdAt));
    return id;
  });

  const noticeExpiring = conn.transaction((leadSeconds: number, now: number, batch: number, build: (t: ExpiringToken) => OutboxEvent): number => {
    const rows = expiring.all(sqliteDate(now), sqliteDate(now + leadSeconds * 1000), leadSeconds, leadSeconds, batch) as (Omit<ExpiringToken, "expiresAt" | "createdAt"> & { expiresAt: string; createdAt: string })[];
    let sent = 0;
    for (const row of rows) {
      if (insertNotice.run(row.id, leadSeconds, sqliteDate(now)).changes === 0) continue;
      writeEvent(build({ ...row, expiresAt: Date.parse(row.expiresAt), createdAt: Date.parse(row.createdAt) }), false);
      sent++;
    }
    return sent;
  });

  return {
    fanOut: async (now, batch) => (anyNewEvent.get() ? gate.run(() => fanOut.immediate(now, batch)) : 0),
    claim: async (now, leaseMs, batch) => (anyDue.get(sqliteDate(now)) ? gate.run(() => claim.immediate(now, leaseMs, batch)) : []),
    settle: (record) => gate.run(() => settle.immediate(record)),
    enqueueDirect: (event, endpointId) => gate.run(() => enqueueDirect.immediate(event, endpointId)),
    redeliver: (deliveryId, now) => gate.run(() => dueAgain.run(sqliteDate(now), deliveryId).changes > 0),
    noticeExpiring: (leadSeconds, now, batch, build) => gate.run(() => noticeExpiring.immediate(leadSeconds, now, batch, build)),
    prune: (eventsBefore, noticesBefore) =>
      gate.run(() => {
        pruneNotices.run(sqliteDate(noticesBefore));
        return pruneEvents.run(sqliteDate(eventsBefore)).changes;
      }),
    backlog: async (limit) => {
      const events = waitingEvents.get(limit) as { n: number; oldest: string | null };
      const deliveries = pendingDeliveries.get(limit) as { n: number; oldest: string | null };
      const oldest = [events.oldest, deliveries.oldest].filter((at) => at !== null).map((at) => Date.parse(at));
      return { events: events.n, deliveries: deliveries.n, oldestAt: oldest.length > 0 ? Math.min(...oldest) : null };
    },
  };
}
