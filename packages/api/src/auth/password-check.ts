import type { Db, User } from "@tokensmith/db";
import { DECOY_PASSWORD_HASH, USERNAME_PATTERN, verifyPassword } from "@tokensmith/core";

export const MAX_USERNAME_LENGTH = 100;
export const MAX_PASSWORD_LENGTH = 1000;

/**
 * The user whose password this is, or null. An unknown user is hashed against a decoy so that
 * timing does not tell which usernames exist. Sign-in and HTTP Basic both check through here.
 */
export async function userWithPassword(db: Db, username: string, password: string): Promise<User | null> {
  // A name no user can have (control characters, a NUL that PostgreSQL refuses…) is not looked up;
  // it still costs the full hash, like any unknown user.
  const user = USERNAME_PATTERN.test(username) ? await db.user.findUnique({ where: { username } }) : null;
  const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_PASSWORD_HASH);
  return user && ok ? user : null;
}
