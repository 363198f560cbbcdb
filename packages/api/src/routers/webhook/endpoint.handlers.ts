import { TRPCError } from "@trpc/server";
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "@tokensmith/db";
import type { AuthedContext } from "../../context/index.js";
import { auditRow, byCaller } from "../../audit/record.js";
import { TEST_EVENT_TYPE, webhookEvent } from "../../webhooks/events.js";
import { toWebhookView, visibleTo, WEBHOOK_NOT_FOUND, type WebhookView } from "./webhook.schema.js";
import { urlForAudit } from "../../webhooks/signing.js";

/**
 * The URL opened, or a placeholder for a row this master secret cannot open (copied from another
 * install): it is listed and can be deleted, rather than failing the whole list.
 */
function openedUrl(ctx: AuthedContext, endpoint: WebhookEndpoint): string {
  try {
    return ctx.webhooks.openUrl(endpoint.id, endpoint.url);
  } catch {
    return UNREADABLE_URL;
  }
}
export const UNREADABLE_URL = "(sealed with another master secret)";

const view = (ctx: AuthedContext, endpoint: WebhookEndpoint): WebhookView => toWebhookView(endpoint, openedUrl(ctx, endpoint));

/** An endpoint the caller may see, or 404 (another user's is "not found" too). */
export async function visibleEndpoint(ctx: AuthedContext, id: string): Promise<WebhookEndpoint> {
  const endpoint = await ctx.db.webhookEndpoint.findFirst({ where: { id, ...visibleTo(ctx.caller) } });
  if (!endpoint) throw new TRPCError({ code: "NOT_FOUND", message: WEBHOOK_NOT_FOUND });
  return endpoint;
}

export async function listWebhooksHandler(ctx: AuthedContext): Promise<{ webhooks: WebhookView[] }> {
  const endpoints = await ctx.db.webhookEndpoint.findMany({ where: visibleTo(ctx.caller), orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  return { webhooks: endpoints.map((endpoint) => view(ctx, endpoint)) };
}

export async function getWebhookHandler(ctx: AuthedContext, input: { id: string }): Promise<WebhookView> {
  return view(ctx, await visibleEndpoint(ctx, input.id));
}

/** Deletes an endpoint with its deliveries and their log; audited in the same transaction. */
export async function deleteWebhookHandler(ctx: AuthedContext, input: { id: string }): Promise<{ id: string }> {
  const endpoint = await visibleEndpoint(ctx, input.id);
  const audit = auditRow(ctx, { action: "webhook.delete", ...byCaller(ctx), detail: { webhookId: endpoint.id, url: urlForAudit(openedUrl(ctx, endpoint)) } });
  const deleted = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.deleteMany({ where: { id: endpoint.id } });
    // Deleted meanwhile by another request, which audited it: nothing to record here.
    if (count > 0) await tx.auditEvent.create({ data: audit });
    return count;
  });
  if (deleted === 0) throw new TRPCError({ code: "NOT_FOUND", message: WEBHOOK_NOT_FOUND });
  return { id: endpoint.id };
}

export interface AttemptView {
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface DeliveryView {
  id: string;
  event_id: string;
  event_type: string;
  state: "pending" | "delivered" | "failed";
  attempts: number;
  /** When it is tried next (pending only). */
  next_attempt_at: string | null;
  created_at: string;
  attempt_log: AttemptView[];
}

/** The endpoint's latest 50 deliveries, newest first, each with every attempt. */
export async function webhookDeliveriesHandler(ctx: AuthedContext, input: { id: string }): Promise<{ deliveries: DeliveryView[] }> {
  const endpoint = await visibleEndpoint(ctx, input.id);
  const rows = await ctx.db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 50,
    include: { event: { select: { type: true } }, attemptLog: { orderBy: { id: "asc" } } },
  });
  return {
    deliveries: rows.map(toDeliveryView),
  };
}

type DeliveryRow = WebhookDelivery & { event: { type: string }; attemptLog: WebhookAttempt[] };

export const toDeliveryView = (row: DeliveryRow): DeliveryView => ({
  id: row.id,
  event_id: row.eventId,
  event_type: row.event.type,
  state: row.state as DeliveryView["state"],
  attempts: row.attempts,
  next_attempt_at: row.state === "pending" ? row.nextAttemptAt.toISOString() : null,
  created_at: row.createdAt.toISOString(),
  attempt_log: row.attemptLog.map((a) => ({ attempt: a.attempt, at: a.at.toISOString(), status_code: a.statusCode, error: a.error, duration_ms: a.durationMs })),
});

/** Queues a webhook.test event for this endpoint only, delivered (and retried) like any other. */
export async function testWebhookHandler(ctx: AuthedContext, input: { id: string }): Promise<{ event_id: string; delivery_id: string }> {
  const endpoint = await visibleEndpoint(ctx, input.id);
  // Per caller and receiving host, not per endpoint: more endpoints on one URL, or deleting and
  // creating one again, buys no more tests.
  const url = openedUrl(ctx, endpoint);
  const wait = ctx.webhooks.takeTestSlot(`${ctx.caller.userId}|${URL.canParse(url) ? new URL(url).origin : endpoint.id}`);
  if (wait > 0) {
    ctx.setHeader("Retry-After", String(wait));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `A test event was sent to this host moments ago: try again in ${wait} s` });
  }
  const event = webhookEvent(TEST_EVENT_TYPE, endpoint.userId, null, { endpoint_id: endpoint.id, requested_by: ctx.caller.username });
  const deliveryId = await ctx.webhooks.enqueueDirect(event, endpoint.id);
  return { event_id: event.id, delivery_id: deliveryId };
}
