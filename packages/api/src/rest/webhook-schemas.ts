import { z } from "zod";
import { createWebhookInput, webhookEventType, webhookId } from "../routers/webhook/webhook.schema.js";

/** Webhook wire shapes: the same for REST and tRPC (the handlers return them as they are). */
export const createWebhookRequest = createWebhookInput.meta({ id: "CreateWebhookRequest" });

const isoDate = (description: string) => z.iso.datetime().meta({ description });

export const webhookResponse = z
  .object({
    id: webhookId,
    url: z.string(),
    events: z.array(webhookEventType),
    scope: z.enum(["own", "all"]).meta({ description: '"all": an administrator\'s endpoint that receives every user\'s events' }),
    created_at: isoDate("When it was created"),
  })
  .meta({ id: "Webhook" });

export const createWebhookResponse = webhookResponse
  .extend({
    secret: z
      .string()
      .startsWith("whsec_")
      .meta({ description: "The signing secret (Standard Webhooks): shown only here, never again. Verify webhook-signature with it." }),
  })
  .meta({ id: "CreateWebhookResponse" });

export const listWebhooksResponse = z.object({ webhooks: z.array(webhookResponse) }).meta({ id: "ListWebhooksResponse" });

export const webhookAttempt = z
  .object({
    attempt: z.int().min(1),
    at: isoDate("When it was made"),
    status_code: z.int().nullable().meta({ description: "The receiver's HTTP status; null when none came (error)" }),
    error: z.string().nullable().meta({ description: "Why it failed: a status, a timeout, a refused address" }),
    duration_ms: z.int().min(0),
  })
  .meta({ id: "WebhookAttempt" });

export const webhookDelivery = z
  .object({
    id: z.string(),
    event_id: z.string().meta({ description: "The webhook-id header: the same for every attempt" }),
    event_type: z.string(),
    state: z.enum(["pending", "delivered", "failed"]),
    attempts: z.int().min(0),
    next_attempt_at: z.iso.datetime().nullable().meta({ description: "When it is tried next (pending only)" }),
    created_at: isoDate("When it was queued"),
    attempt_log: z.array(webhookAttempt),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookDeliveryDetail = webhookDelivery
  .omit({ attempt_log: true })
  .extend({
    request: z
      .object({
        headers: z.record(z.string(), z.string()).meta({ description: "The headers that are the same in every attempt (webhook-timestamp and webhook-signature are left out)" }),
        body: z.string().meta({ description: "The JSON body sent, up to 16 KiB" }),
        body_truncated: z.boolean(),
      })
      .meta({ description: "What was POSTed" }),
    attempt_log: z.array(
      webhookAttempt.extend({
        response_body: z.string().nullable().meta({ description: "The first 1 KiB of the answer as text; null when none came, or from a private address (never kept)" }),
      }),
    ),
  })
  .meta({ id: "WebhookDeliveryDetail" });

export const webhookRedeliverResponse = z
  .object({ delivery_id: z.string(), state: z.literal("pending") })
  .meta({ id: "WebhookRedeliverResponse" });

export const webhookDeliveriesResponse = z.object({ deliveries: z.array(webhookDelivery) }).meta({ id: "WebhookDeliveriesResponse" });

export const webhookTestResponse = z
  .object({ event_id: z.string().meta({ description: "The webhook-id the test event is sent with" }), delivery_id: z.string() })
  .meta({ id: "WebhookTestResponse" });

export const webhookIdParam = webhookId;

/** The body Tokensmith POSTs to an endpoint (documented under the document's `webhooks`). */
export const webhookEventPayload = z
  .object({
    type: z.enum([...webhookEventType.options, "webhook.test"]),
    timestamp: isoDate("When the event happened (the same in every retry)"),
    data: z
      .looseObject({
        token_id: z.string().optional(),
        user_id: z.string().optional(),
        username: z.string().optional(),
        description: z.string().optional(),
        expires_at: z.iso.datetime().optional(),
      })
      .meta({ description: "The token's facts (never the token); each type adds its own fields (see docs/guides/webhooks.md)" }),
  })
  .meta({ id: "WebhookEventPayload" });
