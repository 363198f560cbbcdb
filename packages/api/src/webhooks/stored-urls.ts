import type { MasterSecret } from "@tokensmith/core";
import type { Db } from "@tokensmith/db";
import { webhookUrlSealContext } from "./signing.js";

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
    const sealed = secret.seal(Buffer.from(endpoint.url, "utf8"), webhookUrlSealContext(endpoint.id));
    // Only if it is still the plain URL read above.
    await db.webhookEndpoint.updateMany({ where: { id: endpoint.id, url: endpoint.url }, data: { url: sealed } });
  }
  return plain.length;
}
