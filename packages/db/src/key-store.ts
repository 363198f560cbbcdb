import type { Db } from "./database.js";
import { Prisma } from "./generated/prisma/client.js";
import type { KeyStore, KeyState, KeyUsage } from "./contracts.js";

/**
 * Signing keys through Prisma: the same statements serve SQLite and PostgreSQL, and every change
 * is one statement (atomic on both), so no transaction has to span awaits.
 */
export function createKeyStore(db: Db, provider: "sqlite" | "postgres"): KeyStore {
  // PostgreSQL types a bare parameter inside CASE as text; say it is a timestamp.
  const timestamp = (at: Date) => (provider === "postgres" ? Prisma.sql`${at}::timestamptz` : Prisma.sql`${at}`);
  return {
    async list() {
      const rows = await db.signingKey.findMany({ orderBy: { createdAt: "asc" } });
      return rows.map((row) => ({ ...row, state: row.state as KeyState }));
    },
    async insert(key, now) {
      const at = new Date(now);
      await db.signingKey.create({ data: { ...key, createdAt: at, activatedAt: key.state === "current" ? at : null } });
    },
    async activate(kid, now) {
      const at = new Date(now);
      const changed = await db.$executeRaw`
        UPDATE "SigningKey" SET
          "state" = CASE WHEN "kid" = ${kid} THEN 'current' ELSE 'retired' END,
          "activatedAt" = CASE WHEN "kid" = ${kid} THEN ${timestamp(at)} ELSE "activatedAt" END,
          "retiredAt" = CASE WHEN "kid" = ${kid} THEN NULL ELSE ${timestamp(at)} END
        WHERE ("state" = 'current' OR "kid" = ${kid})
          AND EXISTS (SELECT 1 FROM "SigningKey" n WHERE n."kid" = ${kid} AND n."state" = 'next')`;
      return changed > 0;
    },
    async remove(kid) {
      await db.signingKey.deleteMany({ where: { kid, state: "retired" } });
    },
    async usage(now) {
      const at = new Date(now);
      const [live, last] = await Promise.all([
        db.accessToken.groupBy({
          by: ["signingKeyId"],
          where: { expiresAt: { gt: at }, OR: [{ revokedAt: null }, { revokedAt: { gt: at } }] },
          _count: { _all: true },
        }),
        db.accessToken.groupBy({ by: ["signingKeyId"], where: { expiresAt: { gt: at } }, _max: { expiresAt: true } }),
      ]);
      const usage = new Map<string, KeyUsage>();
      for (const row of last) {
        if (row.signingKeyId) usage.set(row.signingKeyId, { live: 0, lastExpiresAt: row._max.expiresAt?.getTime() ?? null });
      }
      for (const row of live) {
        const entry = row.signingKeyId ? usage.get(row.signingKeyId) : undefined;
        if (entry) entry.live = row._count._all;
      }
      return usage;
    },
    async adopt(kid) {
      const { count } = await db.accessToken.updateMany({ where: { signingKeyId: null }, data: { signingKeyId: kid } });
      return count;
    },
  };
}
