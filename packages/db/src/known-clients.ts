import { usernameKey } from "@tokensmith/core";
import type { Db } from "./database.js";
import type { KnownClientStore } from "./known-client-contracts.js";

/**
 * Known clients through Prisma, the same on SQLite and PostgreSQL. Written only after a right
 * password, and rarely (a marker is renewed at most once an hour): no lock or batch is needed.
 * Two successes at once may each keep `keep` and leave one over for a moment; the next trims it.
 */
export function createKnownClientStore(db: Db): KnownClientStore {
  return {
    async held(username, markers, now) {
      const user = await db.user.findUnique({
        where: { usernameKey: usernameKey(username) },
        select: { id: true, knownClients: { where: { marker: { in: [...markers] }, expiresAt: { gt: new Date(now) } }, select: { marker: true, expiresAt: true } } },
      });
      if (!user) return null;
      return { userId: user.id, held: new Map(user.knownClients.map((k) => [k.marker, k.expiresAt.getTime()])) };
    },
    async remember({ userId, marker, kind, expiresAt, replaces, keep, now }) {
      const until = new Date(expiresAt);
      await db.knownClient.upsert({
        where: { userId_marker: { userId, marker } },
        create: { userId, marker, kind, expiresAt: until },
        update: { expiresAt: until },
      });
      if (replaces !== undefined && replaces !== marker) await db.knownClient.deleteMany({ where: { userId, marker: replaces } });
      // The newest `keep` of this kind stay: what is older than the last of them goes, and so does
      // anything expired. (A marker written meanwhile is newer than all of them, so it stays.)
      const kept = await db.knownClient.findMany({ where: { userId, kind }, orderBy: { expiresAt: "desc" }, skip: keep - 1, take: 1, select: { expiresAt: true } });
      const cutoff = kept[0]?.expiresAt;
      await db.knownClient.deleteMany({
        where: { userId, OR: [{ expiresAt: { lte: new Date(now) } }, ...(cutoff ? [{ kind, expiresAt: { lt: cutoff } }] : [])] },
      });
    },
  };
}
