import { generatePassword, hashPassword } from "@tokensmith/core";
import type { Db } from "./database.js";

export type FirstAdminResult =
  | { created: false }
  | { created: true; username: string; generatedPassword: string | undefined };

/** Creates the first admin when the database has no user; the password is generated when none is given. */
export async function ensureFirstAdmin(
  db: Db,
  opts: { username: string; password: string | undefined },
): Promise<FirstAdminResult> {
  if ((await db.user.count()) > 0) return { created: false };
  const password = opts.password ?? generatePassword();
  await db.user.create({
    data: { username: opts.username, passwordHash: await hashPassword(password), isAdmin: true },
  });
  return { created: true, username: opts.username, generatedPassword: opts.password ? undefined : password };
}
