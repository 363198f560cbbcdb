import { TRPCError } from "@trpc/server";
import type { AuthedContext } from "../../context/index.js";
import { toDeliveryView, visibleEndpoint, type AttemptView, type DeliveryView } from "./endpoint.handlers.js";

export const DELIVERY_NOT_FOUND = "No such delivery for this webhook endpoint";

/** How much of the body sent is shown: events are small, but a revoke's list of descendants is not bounded. */
export const MAX_SHOWN_REQUEST_BYTES = 16 * 1024;

export interface DeliveryDetailView extends Omit<DeliveryView, "attempt_log"> {
  /** What was POSTed: the headers that are the same for every attempt (not the signature), and the body. */
  request: { headers: Record<string, string>; body: string; body_truncated: boolean };
  attempt_log: (AttemptView & { response_body: string | null })[];
}

async function deliveryOf(ctx: AuthedContext, input: { id: string; deliveryId: string }) {
  const endpoint = await visibleEndpoint(ctx, input.id);
  const row = await ctx.db.webhookDelivery.findFirst({
    where: { id: input.deliveryId, endpointId: endpoint.id },
    include: { event: { select: { type: true, payload: true } }, attemptLog: { orderBy: { id: "asc" } } },
  });
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: DELIVERY_NOT_FOUND });
  return row;
}

/**
 * One delivery of one of the caller's endpoints: the request sent and each attempt with the start
 * of the receiver's answer. Nothing secret is in it: the body is the event (which never holds a
 * token), and the signature (made with the endpoint's secret) is left out.
 */
export async function webhookDeliveryHandler(ctx: AuthedContext, input: { id: string; deliveryId: string }): Promise<DeliveryDetailView> {
  const row = await deliveryOf(ctx, input);
  const { attempt_log, ...view } = toDeliveryView(row);
  const body = Buffer.from(row.event.payload, "utf8");
  const truncated = body.length > MAX_SHOWN_REQUEST_BYTES;
  return {
    ...view,
    request: {
      headers: { "content-type": "application/json", "webhook-id": row.eventId, "user-agent": "Tokensmith-Webhooks/1" },
      body: truncated ? body.subarray(0, MAX_SHOWN_REQUEST_BYTES).toString("utf8").replace(/\uFFFD+$/, "") : row.event.payload,
      body_truncated: truncated,
    },
    attempt_log: attempt_log.map((attempt, i) => ({ ...attempt, response_body: row.attemptLog[i]!.responseBody })),
  };
}

/**
 * A failed delivery, tried once more now (same webhook-id: receivers dedupe by it). Only a failed
 * one (a pending one is still being tried), and at most REDELIVERIES_PER_WINDOW a minute per caller.
 */
export async function redeliverWebhookHandler(ctx: AuthedContext, input: { id: string; deliveryId: string }): Promise<{ delivery_id: string; state: "pending" }> {
  const row = await deliveryOf(ctx, input);
  const notFailed = () => new TRPCError({ code: "CONFLICT", message: `Only a failed delivery can be redelivered: this one is ${row.state}` });
  if (row.state !== "failed") throw notFailed();
  const wait = ctx.webhooks.takeRedeliverySlot(ctx.caller.userId);
  if (wait > 0) {
    ctx.setHeader("Retry-After", String(wait));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: `Too many redeliveries in the last minute: try again in ${wait} s` });
  }
  if (!(await ctx.webhooks.redeliver(row.id))) throw notFailed();
  return { delivery_id: row.id, state: "pending" };
}
