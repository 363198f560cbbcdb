import { generatePassword, hashPassword, randomSecret } from "@tokensmith/core";
import type { Db } from "./database.js";

const JWT_SECRET_KEY = "jwt_secret";

/** The configured secret, else the one generated on first start and kept, so tokens survive restarts. */
export async function ensureJwtSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const existing = await db.setting.findUnique({ where: { key: JWT_SECRET_KEY } });
  if (existing) return existing.value;
  const created = await db.setting.upsert({
    where: { key: JWT_SECRET_KEY },
    create: { key: JWT_SECRET_KEY, value: randomSecret() },
    update: {},
  });
  return created.value;
}

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
