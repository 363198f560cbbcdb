import { readJsonObject } from "./http.js";
import { idFrom, parse, type Handler, type Route } from "./route.js";
import { createWebhookInput, webhookId } from "../routers/webhook/webhook.schema.js";
import { createWebhookHandler } from "../routers/webhook/create.handler.js";
import { deleteWebhookHandler, getWebhookHandler, listWebhooksHandler, testWebhookHandler, webhookDeliveriesHandler } from "../routers/webhook/endpoint.handlers.js";
import { redeliverWebhookHandler, webhookDeliveryHandler } from "../routers/webhook/delivery.handlers.js";

const collection: Record<string, Handler> = {
  GET: async ({ ctx }) => [200, await listWebhooksHandler(ctx)],
  POST: async ({ ctx, req }) => [201, await createWebhookHandler(ctx, parse(createWebhookInput, await readJsonObject(req), "request body"))],
};

const item: Record<string, Handler> = {
  GET: async ({ ctx, id }) => [200, await getWebhookHandler(ctx, { id })],
  DELETE: async ({ ctx, id }) => {
    await deleteWebhookHandler(ctx, { id });
    return [200, { message: "Webhook endpoint deleted" }];
  },
};

const deliveries: Record<string, Handler> = {
  GET: async ({ ctx, id }) => [200, await webhookDeliveriesHandler(ctx, { id })],
};

const delivery: Record<string, Handler> = {
  GET: async ({ ctx, id, subId }) => [200, await webhookDeliveryHandler(ctx, { id, deliveryId: subId })],
};

const redeliver: Record<string, Handler> = {
  POST: async ({ ctx, id, subId }) => [202, await redeliverWebhookHandler(ctx, { id, deliveryId: subId })],
};

const test: Record<string, Handler> = {
  POST: async ({ ctx, id }) => [202, await testWebhookHandler(ctx, { id })],
};

/**
 * /v1alpha/webhooks/, /{id}, /{id}/deliveries, /{id}/deliveries/{deliveryId}, …/redeliver, /{id}/test
 * (segments already split, starting "v1alpha", "webhooks").
 */
export function webhookRoute(segments: string[]): Route | null {
  if (segments.length === 2) return { handlers: collection, id: "", canonical: "/v1alpha/webhooks/" };
  if (segments[3] === "deliveries" && (segments.length === 5 || (segments.length === 6 && segments[5] === "redeliver"))) {
    const id = idFrom(segments[2]!, webhookId);
    const deliveryId = idFrom(segments[4]!, webhookId, "deliveryId");
    const base = `/v1alpha/webhooks/${id}/deliveries/${deliveryId}`;
    return segments.length === 5
      ? { handlers: delivery, id, subId: deliveryId, canonical: base }
      : { handlers: redeliver, id, subId: deliveryId, canonical: `${base}/redeliver` };
  }
  if (segments.length > 4 || (segments.length === 4 && segments[3] !== "deliveries" && segments[3] !== "test")) return null;
  const id = idFrom(segments[2]!, webhookId);
  if (segments.length === 3) return { handlers: item, id, canonical: `/v1alpha/webhooks/${id}` };
  return segments[3] === "deliveries"
    ? { handlers: deliveries, id, canonical: `/v1alpha/webhooks/${id}/deliveries` }
    : { handlers: test, id, canonical: `/v1alpha/webhooks/${id}/test` };
}
