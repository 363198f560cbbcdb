/**
 * Storage contracts of webhooks. Events go to an outbox (WebhookEvent) in the same transaction as
 * the change they report; the deliverer fans each one out to the endpoints that want it (one
 * WebhookDelivery per endpoint) and delivers those, claiming them so that no two instances send the
 * same delivery at once.
 */

/** One event for the outbox; `id` is the webhook-id receivers dedupe by. */
export interface OutboxEvent {
  id: string;
  type: string;
  /** Whose token it is about: that user's endpoints and every admin-wide endpoint receive it. */
  userId: string;
  tokenId: string | null;
  /** The JSON body, exactly as it will be sent (and signed). */
  payload: string;
  /** Epoch ms. */
  createdAt: number;
}

/** What an endpoint subscribes to: the rule fan-out applies. */
export interface EndpointSubscription {
  id: string;
  userId: string;
  allUsers: boolean;
  /** JSON array of event types. */
  events: string;
}

/** A delivery this instance claimed: sending it is its job until `leaseUntil`. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: string;
  /** Epoch ms: retries stop a set time after the event. */
  eventCreatedAt: number;
  payload: string;
  endpointId: string;
  url: string;
  sealedSecret: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/** One attempt's result and what becomes of the delivery. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  /** Epoch ms. */
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The start of the receiver's answer, if it may be kept. */
  responseBody: string | null;
  next: { state: "delivered" } | { state: "failed" } | { state: "pending"; at: number };
}

/** A token within a lead time of its expiry, with what its token.expiring event says. */
export interface ExpiringToken {
  id: string;
  userId: string;
  username: string;
  description: string;
  /** Epoch ms. */
  expiresAt: number;
  createdAt: number;
}

export interface WebhookQueue {
  /**
   * Turns up to `batch` new events into one pending delivery per endpoint that wants it (an event
   * no endpoint wants is deleted); how many events.
   */
  fanOut(now: number, batch: number): Promise<number>;
  /** Claims up to `batch` due deliveries: each becomes due again at now + leaseMs unless settled. */
  claim(now: number, leaseMs: number, batch: number): Promise<ClaimedDelivery[]>;
  /** Logs an attempt and moves its delivery on, unless another instance claimed it since (lease ran out). */
  settle(record: AttemptRecord): Promise<void>;
  /** A failed delivery made due again at `now`, for one more attempt; false if it is not failed (or gone). */
  redeliver(deliveryId: string, now: number): Promise<boolean>;
  /** An event for one endpoint only (webhook.test), due now; returns the delivery's id. */
  enqueueDirect(event: OutboxEvent, endpointId: string): Promise<string>;
  /**
   * token.expiring, once per (token, lead) ever: for up to `batch` tokens in force that expire
   * within `leadSeconds`, whose life is longer than that, and whose user (or an admin-wide
   * endpoint) has an endpoint, records the notice and writes `build`'s event in one transaction.
   */
  noticeExpiring(leadSeconds: number, now: number, batch: number, build: (token: ExpiringToken) => OutboxEvent): Promise<number>;
  /**
   * Deletes events (with their deliveries and attempts) older than `eventsBefore`, and token.expiring
   * notices sent before `noticesBefore` (their tokens have expired); how many events.
   */
  prune(eventsBefore: number, noticesBefore: number): Promise<number>;
  /**
   * What waits to go out, each count stopping at `limit` rows (a bounded read, for metrics): events
   * not fanned out yet, pending deliveries, and when the oldest of them was created (epoch ms).
   */
  backlog(limit: number): Promise<WebhookBacklog>;
}

export interface WebhookBacklog {
  events: number;
  deliveries: number;
  oldestAt: number | null;
}
