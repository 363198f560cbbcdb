import type { Db } from "./database.js";
import type { RevocationEntry, RevocationLog } from "./contracts.js";

type Watch = RevocationLog["watch"];

const toEntry = (row: { seq: number; tokenId: string; endsAt: Date; expiresAt: Date; kind: string }): RevocationEntry => ({
  seq: row.seq,
  tokenId: row.tokenId,
  endsAt: row.endsAt.getTime(),
  expiresAt: row.expiresAt.getTime(),
  // Anything not known to be a pause or resume is an end: an unknown kind fails closed.
  kind: row.kind === "pause" || row.kind === "resume" ? row.kind : "revoke",
});

/** The feed's reads through Prisma (the same on both databases); `watch` is each database's own. */
export function createRevocationLog(db: Db, watch: Watch): RevocationLog {
  return {
    async after(seq, limit) {
      const rows = await db.tokenRevocation.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: "asc" }, take: limit });
      return rows.map(toEntry);
    },
    async active(now) {
      const rows = await db.tokenRevocation.findMany({ where: { expiresAt: { gt: new Date(now) } }, orderBy: { seq: "asc" } });
      return rows.map(toEntry);
    },
    async latestSeq() {
      const newest = await db.tokenRevocation.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
      return newest?.seq ?? 0;
    },
    async prune(now, batch) {
      const expired = await db.tokenRevocation.findMany({ where: { expiresAt: { lte: new Date(now) } }, select: { seq: true }, take: batch });
      if (expired.length === 0) return 0;
      const { count } = await db.tokenRevocation.deleteMany({ where: { seq: { in: expired.map((e) => e.seq) } } });
      return count;
    },
    watch,
  };
}
