import { pbkdf2, randomBytes, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from "node:crypto";

const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: BinaryLike, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

async function scryptHash(password: BinaryLike): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

async function scryptMatches(password: BinaryLike, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Hash format: scrypt$N$r$p$salt$hash (base64url), so parameters can grow later. */
export function hashPassword(password: string): Promise<string> {
  return scryptHash(password);
}

/** A hash of no one's password: verifying against it makes "no such user" cost as much as "wrong password". */
export const DECOY_PASSWORD_HASH =
  "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** A password no one can sign in with (an account whose old password was not carried over). */
export const NO_PASSWORD_HASH = "none";

/**
 * Specter Desktop's `hash_password`: PBKDF2-HMAC-SHA256 of the UTF-8 password, 10,000 iterations,
 * salted with the *text* of its base64 salt, stored as `{salt, pwdhash}` (pwdhash: standard base64).
 */
export interface SpecterPassword {
  salt: string;
  pwdhash: string;
}
const SPECTER_ITERATIONS = 10_000;
const SPECTER_SCHEME = "specter-pbkdf2";

function specterKey(password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, KEY_LENGTH, "sha256", (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The 32 bytes of a Specter pwdhash, or null when it is not one (standard base64 of exactly 32 bytes). */
export function specterDigest(password: SpecterPassword): Buffer | null {
  const digest = Buffer.from(password.pwdhash, "base64");
  return digest.length === KEY_LENGTH && digest.toString("base64") === password.pwdhash ? digest : null;
}

/** Whether `candidate` is the password of a Specter hash (checked at import for Specter's default, "admin"). */
export async function isSpecterPassword(candidate: string, password: SpecterPassword): Promise<boolean> {
  const digest = specterDigest(password);
  if (!digest) return false;
  return timingSafeEqual(await specterKey(candidate, Buffer.from(password.salt, "utf8"), SPECTER_ITERATIONS), digest);
}

/**
 * A Specter password as we keep it until its owner next signs in: its PBKDF2 digest wrapped in our
 * scrypt, `specter-pbkdf2$10000$<salt text, base64url>$scrypt$…`. The database never holds the
 * PBKDF2 digest itself (10,000 iterations are cheap to attack), and checking one costs what
 * checking ours does, so timing does not tell imported users apart.
 */
export async function wrapSpecterPassword(password: SpecterPassword): Promise<string> {
  const digest = specterDigest(password);
  if (!digest) throw new Error("pwdhash is not the base64 of a 32-byte PBKDF2 digest");
  const salt = Buffer.from(password.salt, "utf8").toString("base64url");
  return [SPECTER_SCHEME, SPECTER_ITERATIONS, salt, await scryptHash(digest)].join("$");
}

/**
 * Whether `password` matches the stored hash: ours, or a wrapped Specter one. Anything else (no
 * password, a malformed hash) is checked against the decoy and fails, at the same cost.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith(`${SPECTER_SCHEME}$`)) {
    const [, iterations, salt] = stored.split("$", 3);
    const inner = stored.split("$").slice(3).join("$");
    const rounds = Number(iterations);
    if (!salt || !Number.isSafeInteger(rounds) || rounds < 1 || rounds > 10_000_000) return false;
    return scryptMatches(await specterKey(password, Buffer.from(salt, "base64url"), rounds), inner);
  }
  if (stored.startsWith("scrypt$")) return scryptMatches(password, stored);
  await scryptMatches(password, DECOY_PASSWORD_HASH);
  return false;
}

/** A hash of another scheme (an imported Specter one): replaced by ours at the next successful sign-in. */
export const passwordNeedsUpgrade = (stored: string): boolean => !stored.startsWith("scrypt$") && stored !== NO_PASSWORD_HASH;

/** A strong random password for the first admin when none is configured. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
