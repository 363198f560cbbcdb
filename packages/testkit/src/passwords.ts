import { randomBytes, scryptSync } from "node:crypto";

/**
 * A password hash in the service's format with cheaper scrypt parameters (a stored hash names its
 * own, and is checked with them): for tests that check hundreds of wrong passwords, each of which
 * costs ~50 ms of a shared CPU at the service's N=16384.
 */
export function cheapPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return ["scrypt", 1024, 8, 1, salt.toString("base64url"), hash.toString("base64url")].join("$");
}
