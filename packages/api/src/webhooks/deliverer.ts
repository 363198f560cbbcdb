import { log } from "../log/logger.js";
import type { MasterSecret } from "@tokensmith/core";
import type { ClaimedDelivery, OutboxEvent, WebhookQueue } from "@tokensmith/db";
import type { WebhookSettings } from "./settings.js";
import { webhookHeaders, webhookSealContext } from "./signing.js";
import { openWebhookUrl, sealWebhookUrl } from "./stored-urls.js";
import { postWebhook, type PostResult } from "./post.js";
import { nextAttemptAt } from "./backoff.js";
import { tokenEvent } from "./events.js";

const BATCH = 50;
/**
 * Deliveries sent at once, over every pass: each holds a socket (and first a host lookup) for up
 * to the attempt's timeout, and a burst of events must not turn into thousands of them. What is
 * not claimed stays due in the database and is claimed as the ones in flight finish.
 */
export const MAX_DELIVERIES_IN_FLIGHT = 64;
/**
 * One webhook.test per caller and receiving host this often, per instance: a test is a POST to a
 * URL the user chose, and a loop of test requests must not make this server a cannon aimed at
 * someone else.
 */
export const TEST_EVENT_INTERVAL_MS = 10_000;
/**
 * Redeliveries one caller may ask for per window, per instance: each is a POST to a URL the user
 * chose, so a script redelivering failures in a loop must not make this server a cannon either.
 */
export const REDELIVERIES_PER_WINDOW = 10;
export const REDELIVERY_WINDOW_MS = 60_000;
const EVENT_RETENTION_MS = 30 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;

/**
 * The background deliverer: fans new outbox events out to endpoints, claims due deliveries,
 * sends them, and logs each attempt. Delivery is at least once: a claim whose attempt is never
 * logged (the process died) comes due again when its lease ends, with the same webhook-id.
 * Secrets are opened only to sign, and never logged.
 */
export class WebhookDeliverer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private lastPrune = 0;
  private lastNoticeScan = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** A pass claimed less than a batch because of MAX_DELIVERIES_IN_FLIGHT. */
  private capped = false;
  private readonly lastTest = new Map<string, number>();
  /** Attempts since start by what became of their delivery (metrics). */
  private readonly settled = { delivered: 0, retrying: 0, failed: 0 };
  private readonly redeliveries = new Map<string, number[]>();

  constructor(
    private readonly queue: WebhookQueue,
    private readonly secret: MasterSecret,
    readonly settings: WebhookSettings,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), this.settings.pollMs).unref();
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    // A receiver still answering is not waited for past a moment: its claim leases out and is sent again.
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }

  results(): Readonly<Record<"delivered" | "retrying" | "failed", number>> {
    return this.settled;
  }

  sealSecret(endpointId: string, secret: string): string {
    return this.secret.seal(Buffer.from(secret, "utf8"), webhookSealContext(endpointId));
  }

  /** Endpoint URLs are stored sealed too: a copy of the database holds no working hook URL. */
  sealUrl(endpointId: string, url: string): string {
    return sealWebhookUrl(this.secret, endpointId, url);
  }

  openUrl(endpointId: string, stored: string): string {
    return openWebhookUrl(this.secret, endpointId, stored);
  }

  /** Seconds until `key` (a caller and a receiving host) may have another test event; 0: now, and the time is taken. */
  takeTestSlot(key: string, now = Date.now()): number {
    const last = this.lastTest.get(key);
    if (last !== undefined && now - last < TEST_EVENT_INTERVAL_MS) return Math.ceil((last + TEST_EVENT_INTERVAL_MS - now) / 1000);
    // Bounded: slots that no longer hold anything back go first.
    if (this.lastTest.size >= 10_000) for (const [id, at] of this.lastTest) if (now - at >= TEST_EVENT_INTERVAL_MS) this.lastTest.delete(id);
    this.lastTest.set(key, now);
    return 0;
  }

  /**
   * Seconds until `caller` may redeliver again; 0: now, and one redelivery is counted. At most
   * REDELIVERIES_PER_WINDOW in any REDELIVERY_WINDOW_MS (a sliding window).
   */
  takeRedeliverySlot(caller: string, now = Date.now()): number {
    const recent = (this.redeliveries.get(caller) ?? []).filter((at) => now - at < REDELIVERY_WINDOW_MS);
    if (recent.length >= REDELIVERIES_PER_WINDOW) return Math.ceil((recent[0]! + REDELIVERY_WINDOW_MS - now) / 1000);
    // Bounded: callers with nothing left in their window go first.
    if (this.redeliveries.size >= 10_000) for (const [key, times] of this.redeliveries) if (times.every((at) => now - at >= REDELIVERY_WINDOW_MS)) this.redeliveries.delete(key);
    recent.push(now);
    this.redeliveries.set(caller, recent);
    return 0;
  }

  /** A failed delivery, tried once more now; false if it is not failed. */
  async redeliver(deliveryId: string): Promise<boolean> {
    const queued = await this.queue.redeliver(deliveryId, Date.now());
    if (queued) this.nudge();
    return queued;
  }

  /** A delivery of `event` to one endpoint only (webhook.test), sent now. */
  async enqueueDirect(event: OutboxEvent, endpointId: string): Promise<string> {
    const id = await this.queue.enqueueDirect(event, endpointId);
    this.nudge();
    return id;
  }

  /** Look now (an event was just written), not at the next poll; runs coalesce. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error: unknown) => log.error(`[webhooks] ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  private async pass(): Promise<void> {
    const now = Date.now();
    // Expiring tokens are looked for once a poll interval, not on every nudge (a nudge follows each token write).
    if (now - this.lastNoticeScan >= this.settings.pollMs) {
      this.lastNoticeScan = now;
      for (const lead of this.settings.expiryNoticeSeconds) {
        await this.queue.noticeExpiring(lead, now, BATCH, (token) =>
          tokenEvent("token.expiring", token, { expires_in_seconds: Math.max(0, Math.round((token.expiresAt - now) / 1000)), notice_seconds: lead }, now),
        );
      }
    }
    while ((await this.queue.fanOut(Date.now(), BATCH)) === BATCH && !this.stopped);
    const room = Math.min(BATCH, MAX_DELIVERIES_IN_FLIGHT - this.inFlight.size);
    if (room < BATCH) this.capped = true;
    const claimed = room > 0 ? await this.queue.claim(Date.now(), this.settings.leaseMs, room) : [];
    // Sent side by side; a slow receiver delays nobody else's next pass (the lease keeps it ours).
    for (const delivery of claimed) {
      const attempt = this.deliver(delivery).finally(() => {
        this.inFlight.delete(attempt);
        // A pass cut short by the cap may have left due deliveries unclaimed: look again now.
        if (this.capped) {
          this.capped = false;
          this.nudge();
        }
      });
      this.inFlight.add(attempt);
    }
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      // A notice is sent at most its lead time before expiry: past retention plus the longest lead,
      // its token has long expired and can never be noticed again.
      const longestLeadMs = Math.max(0, ...this.settings.expiryNoticeSeconds) * 1000;
      await this.queue.prune(now - EVENT_RETENTION_MS, now - EVENT_RETENTION_MS - longestLeadMs);
    }
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { settings } = this;
    let signingSecret: string;
    let url: string;
    try {
      signingSecret = this.secret.open(delivery.sealedSecret, webhookSealContext(delivery.endpointId)).toString("utf8");
      url = this.openUrl(delivery.endpointId, delivery.url);
    } catch (error) {
      return this.settle(delivery, { statusCode: null, error: (error as Error).message, durationMs: 0, responseBody: null });
    }
    const at = Date.now();
    const headers = webhookHeaders(signingSecret, delivery.eventId, Math.floor(at / 1000), delivery.payload);
    const result = await postWebhook(url, headers, delivery.payload, { timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivate });
    await this.settle(delivery, result, at);
  }

  private async settle(delivery: ClaimedDelivery, result: PostResult, at = Date.now()): Promise<void> {
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const now = Date.now();
    const retryAt = ok ? null : nextAttemptAt(delivery.attempt, now, this.settings.retryBaseMs, delivery.eventCreatedAt + this.settings.retryForMs);
    const next = ok ? { state: "delivered" as const } : retryAt === null ? { state: "failed" as const } : { state: "pending" as const, at: retryAt };
    const error = result.error ?? (ok ? null : `answered ${result.statusCode}`);
    this.settled[next.state === "pending" ? "retrying" : next.state]++;
    try {
      await this.queue.settle({ deliveryId: delivery.id, attempt: delivery.attempt, at, statusCode: result.statusCode, error, durationMs: result.durationMs, responseBody: result.responseBody, next });
    } catch (failure) {
      // Not logged: the lease runs out and the delivery is sent again (receivers dedupe by webhook-id).
      log.error(`[webhooks] could not record an attempt: ${(failure as Error).message}`);
    }
    if (next.state === "pending") setTimeout(() => this.nudge(), Math.max(0, next.at - Date.now()) + 10).unref();
  }
}
