import { authenticatedResponses, headerRef, headers, json, schemaRef } from "./responses.js";
import { DELIVERY_ID, WEBHOOK_ID } from "./examples.js";

const notFound = json("ErrorResponse", "No such webhook endpoint for this caller (another user's is also not found)");
/** A 429 of the route's own, besides the ones every authenticated route can answer. */
const tooMany = (why: string) =>
  json("ErrorResponse", `${why}; or too many wrong passwords, or the token is over its own rate limit`, {
    "Retry-After": headerRef("RetryAfter"),
    "RateLimit-Policy": headerRef("RateLimitPolicy"),
    RateLimit: headerRef("RateLimit"),
  });
const deliveryNotFound = json("ErrorResponse", "No such webhook endpoint for this caller, or no such delivery of it");

/** /v1alpha/webhooks: endpoints, their delivery log, one delivery and its redelivery, test events. */
export function buildWebhookPaths(webhookIdSchema: unknown): Record<string, unknown> {
  const id = { name: "id", in: "path", required: true, description: "The webhook endpoint's id", schema: webhookIdSchema, example: WEBHOOK_ID };
  const deliveryId = { name: "deliveryId", in: "path", required: true, description: "The delivery's id", schema: webhookIdSchema, example: DELIVERY_ID };
  return {
    "/v1alpha/webhooks/": {
      description: "/v1alpha/webhooks works too.",
      get: {
        operationId: "listWebhooks",
        tags: ["Webhooks"],
        summary: "List the caller's webhook endpoints (administrators also see every admin-wide one)",
        responses: authenticatedResponses({ "200": json("ListWebhooksResponse", "The endpoints, newest first; never their secrets") }),
      },
      post: {
        operationId: "createWebhook",
        tags: ["Webhooks"],
        summary: "Create a webhook endpoint; its signing secret is shown this once",
        description:
          "The URL must be https:// and its host must not resolve to a loopback, private, link-local, CGNAT, multicast or metadata address (checked now and at every delivery), unless the service runs with WEBHOOK_ALLOW_PRIVATE=1. Scope \"all\" is for administrators signed in with a password, not a token (else 403). A user may have at most 20 endpoints (else 403).",
        requestBody: { required: true, content: { "application/json": { schema: schemaRef("CreateWebhookRequest") } } },
        responses: authenticatedResponses(
          {
            "201": json("CreateWebhookResponse", "The endpoint, with its secret: shown only here"),
            "403": json("ErrorResponse", 'Outside the token\'s allowed endpoints or allowlist (with WWW-Authenticate), scope "all" asked for by someone not an administrator or with a token, or a 21st endpoint (without)', {
              "WWW-Authenticate": { ...headers.WwwAuthenticate, required: false },
            }),
          },
          { body: true },
        ),
      },
    },
    "/v1alpha/webhooks/{id}": {
      parameters: [id],
      get: {
        operationId: "getWebhook",
        tags: ["Webhooks"],
        summary: "Get one webhook endpoint",
        responses: authenticatedResponses({ "200": json("Webhook", "The endpoint"), "404": notFound }, { badRequest: true }),
      },
      delete: {
        operationId: "deleteWebhook",
        tags: ["Webhooks"],
        summary: "Delete a webhook endpoint, with its pending deliveries and its log",
        responses: authenticatedResponses({ "200": json("MessageResponse", "Webhook endpoint deleted"), "404": notFound }, { badRequest: true, write: true }),
      },
    },
    "/v1alpha/webhooks/{id}/deliveries": {
      parameters: [id],
      get: {
        operationId: "listWebhookDeliveries",
        tags: ["Webhooks"],
        summary: "The endpoint's latest 50 deliveries, each with every attempt (status or error, duration)",
        responses: authenticatedResponses({ "200": json("WebhookDeliveriesResponse", "Newest first"), "404": notFound }, { badRequest: true }),
      },
    },
    "/v1alpha/webhooks/{id}/deliveries/{deliveryId}": {
      parameters: [id, deliveryId],
      get: {
        operationId: "getWebhookDelivery",
        tags: ["Webhooks"],
        summary: "One delivery: the request sent (body up to 16 KiB) and each attempt with the start of the answer",
        description: "The signature header is left out. An answer is kept (its first 1 KiB) only from a receiver on a public address.",
        responses: authenticatedResponses({ "200": json("WebhookDeliveryDetail", "The delivery"), "404": deliveryNotFound }, { badRequest: true }),
      },
    },
    "/v1alpha/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
      parameters: [id, deliveryId],
      post: {
        operationId: "redeliverWebhook",
        tags: ["Webhooks"],
        summary: "Try a failed delivery once more, now",
        description: "The same webhook-id, so receivers dedupe it. Only a failed delivery (else 409); at most 10 redeliveries a minute per caller (else 429 with Retry-After).",
        responses: authenticatedResponses(
          {
            "202": json("WebhookRedeliverResponse", "Queued"),
            "404": deliveryNotFound,
            "409": json("ErrorResponse", "The delivery is not failed: it is pending or delivered"),
            "429": tooMany("Too many redeliveries from this caller in the last minute"),
          },
          { badRequest: true, write: true },
        ),
      },
    },
    "/v1alpha/webhooks/{id}/test": {
      parameters: [id],
      post: {
        operationId: "testWebhook",
        tags: ["Webhooks"],
        summary: "Send a webhook.test event to this endpoint",
        description: "Queued and delivered (and retried) like any event; follow it in the delivery log. One test per caller and receiving host every 10 seconds (else 429 with Retry-After).",
        responses: authenticatedResponses(
          {
            "202": json("WebhookTestResponse", "Queued"),
            "404": notFound,
            "429": tooMany("A test event went to this host from this caller less than 10 s ago"),
          },
          { badRequest: true, write: true },
        ),
      },
    },
  };
}

const signatureHeader = (name: string, description: string, example: string) => ({ name, in: "header", required: true, description, schema: { type: "string" }, example });

/** What Tokensmith sends to endpoints (OpenAPI 3.1 `webhooks`): one operation for every event type. */
export function webhookEventsDocument(): Record<string, unknown> {
  return {
    tokenEvent: {
      post: {
        operationId: "receiveTokenEvent",
        tags: ["Webhooks"],
        summary: "An event about a token, POSTed to a webhook endpoint (Standard Webhooks)",
        description:
          "Retried with backoff for a day until a 2xx answer; the same webhook-id every time, so dedupe by it. Verify webhook-signature with the endpoint's secret before trusting the body.",
        parameters: [
          signatureHeader("webhook-id", "The event's id (msg_…): the same in every retry", "msg_3f2e1d0c-9b8a-4765-8432-10fedcba9876"),
          signatureHeader("webhook-timestamp", "Unix seconds of this attempt; refuse ones far from now", "1796547600"),
          signatureHeader("webhook-signature", "v1,<base64 HMAC-SHA256 of {webhook-id}.{webhook-timestamp}.{body}>, keyed with the secret's bytes after whsec_", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
        ],
        requestBody: { required: true, content: { "application/json": { schema: schemaRef("WebhookEventPayload") } } },
        responses: {
          "200": { description: "Any 2xx: delivered" },
          "400": { description: "Anything else (or no answer within 10 s): retried later" },
        },
      },
    },
  };
}
