import { createTRPCRouter, protectedProcedure } from "../../trpc.js";
import { invalidField } from "../field-error.js";
import { createWebhookInput, deliveryInput, webhookId, webhookIdInput } from "./webhook.schema.js";
import { redeliverWebhookHandler, webhookDeliveryHandler } from "./delivery.handlers.js";
import { createWebhookHandler } from "./create.handler.js";
import { deleteWebhookHandler, getWebhookHandler, listWebhooksHandler, testWebhookHandler, webhookDeliveriesHandler } from "./endpoint.handlers.js";

/** The REST route each procedure stands for, so one allowed-endpoint pattern governs both (ids validated first). */
function idOf(input: unknown): string {
  const parsed = webhookId.safeParse((input as { id?: unknown } | undefined)?.id);
  if (!parsed.success) throw invalidField("id", "must be a UUID", "id: must be a UUID");
  return parsed.data;
}
function deliveryIdOf(input: unknown): string {
  const parsed = webhookId.safeParse((input as { deliveryId?: unknown } | undefined)?.deliveryId);
  if (!parsed.success) throw invalidField("deliveryId", "must be a UUID", "deliveryId: must be a UUID");
  return parsed.data;
}
const rest = (method: string, path: (input: unknown) => string = () => "") => ({
  endpoint: (input: unknown) => `${method} /v1alpha/webhooks/${path(input)}`,
});

/** Webhook endpoints: the same handlers REST calls (rest/webhooks.ts). */
export const webhookRouter = createTRPCRouter({
  list: protectedProcedure.meta(rest("GET")).query(({ ctx }) => listWebhooksHandler(ctx)),
  create: protectedProcedure
    .meta(rest("POST"))
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => createWebhookHandler(ctx, input)),
  get: protectedProcedure
    .meta(rest("GET", idOf))
    .input(webhookIdInput)
    .query(({ ctx, input }) => getWebhookHandler(ctx, input)),
  delete: protectedProcedure
    .meta(rest("DELETE", idOf))
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => deleteWebhookHandler(ctx, input)),
  deliveries: protectedProcedure
    .meta(rest("GET", (input) => `${idOf(input)}/deliveries`))
    .input(webhookIdInput)
    .query(({ ctx, input }) => webhookDeliveriesHandler(ctx, input)),
  /** One delivery: the request sent and the start of each answer. */
  delivery: protectedProcedure
    .meta(rest("GET", (input) => `${idOf(input)}/deliveries/${deliveryIdOf(input)}`))
    .input(deliveryInput)
    .query(({ ctx, input }) => webhookDeliveryHandler(ctx, input)),
  /** A failed delivery, tried once more now. */
  redeliver: protectedProcedure
    .meta(rest("POST", (input) => `${idOf(input)}/deliveries/${deliveryIdOf(input)}/redeliver`))
    .input(deliveryInput)
    .mutation(({ ctx, input }) => redeliverWebhookHandler(ctx, input)),
  test: protectedProcedure
    .meta(rest("POST", (input) => `${idOf(input)}/test`))
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => testWebhookHandler(ctx, input)),
});
