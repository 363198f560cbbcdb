import type { Db, User } from "@tokensmith/db";
import { DECOY_PASSWORD_HASH, hashPassword, passwordNeedsUpgrade, USERNAME_PATTERN, verifyPassword } from "@tokensmith/core";
import { findUserByName, isServiceAccount } from "./users.js";
import type { BasicSuccessCache } from "./basic-successes.js";

export const MAX_USERNAME_LENGTH = 100;
export const MAX_PASSWORD_LENGTH = 1000;

/**
 * The user whose password this is, or null. An unknown user is hashed against a decoy so that
 * timing does not tell which usernames exist. Sign-in and HTTP Basic both check through here;
 * HTTP Basic passes `successes`, which may vouch for a password verified moments ago (see there):
 * the user row is read either way, so a changed hash or a deleted user is seen at once. A service
 * account never signs in: it is refused like a wrong password, after the same hash.
 */
export async function userWithPassword(db: Db, username: string, password: string, successes?: BasicSuccessCache): Promise<User | null> {
  // A name no user can have (control characters, a NUL that PostgreSQL refuses…) is not looked up;
  // it still costs the full hash, like any unknown user. Any case of a name is that user.
  const named = USERNAME_PATTERN.test(username) ? await findUserByName(db, username) : null;
  const found = named && !isServiceAccount(named) ? named : null;
  if (found && successes?.vouches(found, username, password)) return found;
  successes?.countFullCheck();
  const ok = await verifyPassword(password, found?.passwordHash ?? DECOY_PASSWORD_HASH);
  if (!found || !ok) return null;
  const user = passwordNeedsUpgrade(found.passwordHash) ? await upgradePassword(db, found, password) : found;
  successes?.remember(user, username, password);
  return user;
}

/**
 * An imported (Specter) hash, just verified, is replaced by ours. Only if it is still the stored
 * one: a password an administrator set meanwhile wins. Sessions stay: the password is the same.
 */
async function upgradePassword(db: Db, user: User, password: string): Promise<User> {
  const passwordHash = await hashPassword(password);
  const { count } = await db.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
  return count === 1 ? { ...user, passwordHash } : user;
}
