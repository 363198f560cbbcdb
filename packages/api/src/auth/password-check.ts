import type { Db, User } from "@tokensmith/db";
import { DECOY_PASSWORD_HASH, USERNAME_PATTERN, verifyPassword } from "@tokensmith/core";
import { findUserByName } from "./users.js";
import type { BasicSuccessCache } from "./basic-successes.js";

export const MAX_USERNAME_LENGTH = 100;
export const MAX_PASSWORD_LENGTH = 1000;

/**
 * The user whose password this is, or null. An unknown user is hashed against a decoy so that
 * timing does not tell which usernames exist. Sign-in and HTTP Basic both check through here;
 * HTTP Basic passes `successes`, which may vouch for a password verified moments ago (see there):
 * the user row is read either way, so a changed hash or a deleted user is seen at once.
 */
export async function userWithPassword(db: Db, username: string, password: string, successes?: BasicSuccessCache): Promise<User | null> {
  // A name no user can have (control characters, a NUL that PostgreSQL refuses…) is not looked up;
  // it still costs the full hash, like any unknown user. Any case of a name is that user.
  const user = USERNAME_PATTERN.test(username) ? await findUserByName(db, username) : null;
  if (user && successes?.vouches(user, username, password)) return user;
  successes?.countFullCheck();
  const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_PASSWORD_HASH);
  if (!user || !ok) return null;
  successes?.remember(user, username, password);
  return user;
}
