import type { EndpointSubscription, OutboxEvent } from "./webhook-contracts.js";

/**
 * Whether an endpoint receives an event: its owner's tokens, or every user's for an admin-wide
 * endpoint, and only the types it subscribed to. The one place this rule lives (both databases fan
 * out through it).
 */
export function endpointWants(endpoint: EndpointSubscription, event: Pick<OutboxEvent, "type" | "userId">): boolean {
  if (!endpoint.allUsers && endpoint.userId !== event.userId) return false;
  let types: unknown;
  try {
    types = JSON.parse(endpoint.events);
  } catch {
    return false;
  }
  return Array.isArray(types) && types.includes(event.type);
}
