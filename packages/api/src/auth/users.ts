import type { Db, Prisma } from "@tokensmith/db";
import { usernameKey } from "@tokensmith/core";

/** The user a name means, in any case ("ADMIN" is "admin"): every lookup by name goes through here. */
export function findUserByName<S extends Prisma.UserSelect>(db: Db, username: string, select?: S) {
  return db.user.findUnique({ where: { usernameKey: usernameKey(username) }, ...(select ? { select } : {}) }) as Promise<Prisma.UserGetPayload<{ select: S }> | null>;
}

/** A non-human account: no password check or session ever admits it (see password-check.ts). */
export const isServiceAccount = (user: { accountType: string }): boolean => user.accountType === "service";

/** Filter for rows of the user a name means, in any case. */
export const ofUserNamed = (username: string): Prisma.UserWhereInput => ({ usernameKey: usernameKey(username) });
