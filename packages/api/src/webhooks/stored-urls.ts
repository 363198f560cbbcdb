import type { MasterSecret } from "@tokensmith/core";
import type { Db } from "@tokensmith/db";
import { isPlainUrl, urlForAudit, webhookUrlSealContext } from "./signing.js";

/** An endpoint URL as stored: sealed under the master secret, bound to its endpoint. */
export const sealWebhookUrl = (secret: MasterSecret, endpointId: string, url: string): string =>
  secret.seal(Buffer.from(url, "utf8"), webhookUrlSealContext(endpointId));

/** The URL as stored: sealed, or plain from before URLs were sealed (sealed at the next start). */
export const openWebhookUrl = (secret: MasterSecret, endpointId: string, stored: string): string =>
  isPlainUrl(stored) ? stored : secret.open(stored, webhookUrlSealContext(endpointId)).toString("utf8");

/**
 * Seals the endpoint URLs stored in the clear by releases before URLs were sealed. Run at start
 * (under the migration lock on PostgreSQL, so by one instance); idempotent.
 */
export async function sealPlainWebhookUrls(db: Db, secret: MasterSecret): Promise<number> {
  const plain = await db.webhookEndpoint.findMany({
    where: { OR: [{ url: { startsWith: "http://" } }, { url: { startsWith: "https://" } }] },
    select: { id: true, url: true },
  });
  for (const endpoint of plain) {
    // Only if it is still the plain URL read above.
    await db.webhookEndpoint.updateMany({ where: { id: endpoint.id, url: endpoint.url }, data: { url: sealWebhookUrl(secret, endpoint.id, endpoint.url) } });
  }
  return plain.length;
}

/** Set once the audit log's webhook URLs were cut down to their origin (the scan runs once). */
const AUDIT_SCRUBBED = "webhook_audit_urls_scrubbed";

/**
 * Earlier releases audited webhook.create and webhook.delete with the whole URL: cut those down to
 * the origin, as the audit log keeps them now. Once per database (a Setting marks it done).
 */
export async function scrubAuditedWebhookUrls(db: Db): Promise<number> {
  if (await db.setting.findUnique({ where: { key: AUDIT_SCRUBBED } })) return 0;
  const events = await db.auditEvent.findMany({
    where: { action: { in: ["webhook.create", "webhook.delete"] }, detail: { contains: '"url":"http' } },
    select: { id: true, detail: true },
  });
  let scrubbed = 0;
  for (const event of events) {
    let detail: Record<string, unknown>;
    try {
      detail = JSON.parse(event.detail ?? "") as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof detail.url !== "string") continue;
    await db.auditEvent.update({ where: { id: event.id }, data: { detail: JSON.stringify({ ...detail, url: urlForAudit(detail.url) }) } });
    scrubbed++;
  }
  await db.setting.upsert({ where: { key: AUDIT_SCRUBBED }, create: { key: AUDIT_SCRUBBED, value: new Date().toISOString() }, update: {} });
  return scrubbed;
}
