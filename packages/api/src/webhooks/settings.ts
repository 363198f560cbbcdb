import { parseLifetime } from "@tokensmith/core";

/** How webhooks are delivered; every duration can be shortened (tests run on real clocks). */
export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE: http:// and private, loopback and link-local receivers are allowed (on-premise). */
  allowPrivate: boolean;
  /** WEBHOOK_RETRY_BASE: the first retry's delay; later ones are 6, 24, 120, 360, 720, 1440 times it. */
  retryBaseMs: number;
  /** WEBHOOK_RETRY_FOR: after this long since the event, a delivery that keeps failing is marked failed. */
  retryForMs: number;
  /** WEBHOOK_TIMEOUT: one attempt's limit (connect, send, answer). */
  timeoutMs: number;
  /** WEBHOOK_LEASE: a claimed delivery is due again after this long unless its attempt is logged (longer than the timeout). */
  leaseMs: number;
  /** WEBHOOK_POLL_INTERVAL: how often each instance looks for due deliveries and expiring tokens. */
  pollMs: number;
  /** WEBHOOK_EXPIRY_NOTICES: token.expiring is sent this long before expiry, once for each. */
  expiryNoticeSeconds: number[];
}

type Env = Record<string, string | undefined>;

function seconds(name: string, value: string | undefined, fallback: string, report: (message: string) => Error): number {
  const result = parseLifetime(value && value.trim() !== "" ? value : fallback);
  if (!result.ok) throw report(`${name}: ${result.message}`);
  return result.seconds;
}

const TRUE = new Set(["1", "true", "yes", "on"]);

/** Reads the WEBHOOK_* settings; `report` makes the error the caller throws for a bad one. */
export function webhookSettingsFrom(env: Env, report: (message: string) => Error): WebhookSettings {
  const timeoutMs = seconds("WEBHOOK_TIMEOUT", env.WEBHOOK_TIMEOUT, "10 seconds", report) * 1000;
  const leaseMs = seconds("WEBHOOK_LEASE", env.WEBHOOK_LEASE, "1 minute", report) * 1000;
  if (leaseMs <= timeoutMs) throw report("WEBHOOK_LEASE must be longer than WEBHOOK_TIMEOUT: a delivery still in flight would be sent again");
  const notices = (env.WEBHOOK_EXPIRY_NOTICES?.trim() || "7 days,1 day").split(",").map((text) => seconds("WEBHOOK_EXPIRY_NOTICES", text, "", report));
  return {
    allowPrivate: TRUE.has((env.WEBHOOK_ALLOW_PRIVATE ?? "").trim().toLowerCase()),
    retryBaseMs: seconds("WEBHOOK_RETRY_BASE", env.WEBHOOK_RETRY_BASE, "5 seconds", report) * 1000,
    retryForMs: seconds("WEBHOOK_RETRY_FOR", env.WEBHOOK_RETRY_FOR, "1 day", report) * 1000,
    timeoutMs,
    leaseMs,
    pollMs: seconds("WEBHOOK_POLL_INTERVAL", env.WEBHOOK_POLL_INTERVAL, "5 seconds", report) * 1000,
    expiryNoticeSeconds: [...new Set(notices)].sort((a, b) => b - a),
  };
}
