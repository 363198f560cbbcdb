import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/** A new endpoint secret in the Standard Webhooks form: whsec_ and 32 random bytes in base64. */
export const generateWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;

/**
 * The Standard Webhooks headers for one attempt: the signature is HMAC-SHA256, keyed with the
 * secret's base64-decoded bytes, over "{webhook-id}.{webhook-timestamp}.{body}".
 */
export function webhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": `v1,${signature}` };
}

/** What a sealed secret is bound to: moved to another endpoint's row, it does not open. */
export const webhookSealContext = (endpointId: string) => `webhook-secret:${endpointId}`;
/** The same for the endpoint's URL, which often carries a credential of its own (chat services' hook URLs do). */
export const webhookUrlSealContext = (endpointId: string) => `webhook-url:${endpointId}`;

/** A URL stored before URLs were sealed: sealed text never starts with a scheme. */
export const isPlainUrl = (stored: string) => /^https?:\/\//i.test(stored);

/**
 * What the audit log keeps of a webhook URL: its origin, never its path or query, where services
 * put the credential that lets anyone post to the hook.
 */
export function urlForAudit(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname === "/" && parsed.search === "" ? `${parsed.origin}/` : `${parsed.origin}/…`;
  } catch {
    return "(not a URL)";
  }
}
