import { z } from "zod";
import { safeText } from "../text.js";
import type { Prisma, WebhookEndpoint } from "@tokensmith/db";
import { TOKEN_EVENT_TYPES } from "../../webhooks/events.js";
import { MAX_WEBHOOK_URL_LENGTH } from "../../webhooks/url-policy.js";

export const WEBHOOK_NOT_FOUND = "No such webhook endpoint";

export const webhookId = z.uuid({ message: "must be a UUID" });
export const webhookIdInput = z.object({ id: webhookId });
export const deliveryInput = z.object({ id: webhookId, deliveryId: webhookId });
export const webhookEventType = z.enum(TOKEN_EVENT_TYPES, { message: `must be one of ${TOKEN_EVENT_TYPES.join(", ")}` });

export const createWebhookInput = z.object({
  url: safeText(
    z
      .string({ message: "must be a string" })
      .min(1, "must not be empty")
      .max(MAX_WEBHOOK_URL_LENGTH, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters long`),
  ).meta({ description: "Where events are POSTed: https:// (http:// and internal addresses only with WEBHOOK_ALLOW_PRIVATE=1)" }),
  events: z
    .array(webhookEventType)
    .min(1, "choose at least one event type")
    .max(TOKEN_EVENT_TYPES.length, "lists an event type twice")
    .refine((types) => new Set(types).size === types.length, "lists an event type twice"),
  scope: z
    .enum(["own", "all"], { message: 'must be "own" or "all"' })
    .optional()
    .meta({ description: '"own" (default): events about the caller\'s tokens; "all": every user\'s (administrators only)' }),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

/** What the API shows of an endpoint; its secret never, after the create response. */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  scope: "own" | "all";
  created_at: string;
}

/** `url`: the endpoint's URL opened (it is stored sealed). */
export const toWebhookView = (endpoint: WebhookEndpoint, url: string): WebhookView => ({
  id: endpoint.id,
  url,
  events: JSON.parse(endpoint.events) as string[],
  scope: endpoint.allUsers ? "all" : "own",
  created_at: endpoint.createdAt.toISOString(),
});

/** Who may see and manage an endpoint: its owner, and for admin-wide endpoints every administrator. */
export function visibleTo(caller: { userId: string; isAdmin: boolean }): Prisma.WebhookEndpointWhereInput {
  return caller.isAdmin ? { OR: [{ userId: caller.userId }, { allUsers: true }] } : { userId: caller.userId };
}
