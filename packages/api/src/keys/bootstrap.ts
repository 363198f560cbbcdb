import { generateSigningKey, signingKey, type MasterSecret, type TokenAlgorithm, type VerificationKey } from "@tokensmith/core";
import type { Db, KeyStore } from "@tokensmith/db";

/** The kid of the HS256 secret of older releases: their tokens carry no kid at all. */
export const LEGACY_KID = "legacy-hs256";
/** The kid of the HS256 secret of an imported Specter Desktop: it verifies only the tokens imported with it. */
export const SPECTER_KID = "specter-hs256";
const LEGACY_SETTING = "jwt_secret";

/**
 * An imported Specter secret as a key: it verifies Specter-shaped tokens only. Any length: Specter
 * ran with whatever it was given (22 characters by default), and what binds each of its tokens is
 * the hash stored at import, not the secret.
 */
export const specterKey = async (secret: string): Promise<VerificationKey> => ({ kid: null, alg: "HS256", key: await signingKey(secret, 1), specter: true });

/** What a sealed key is bound to: moving it to another row (or algorithm) makes it unopenable. */
export const sealContext = (kid: string, alg: string) => `signing-key:${kid}:${alg}`;

/** An HS256 secret (an older release's, or an imported Specter's) sealed for its key row. */
export const sealHs256 = (master: MasterSecret, kid: string, secret: string): string => master.seal(Buffer.from(secret, "utf8"), sealContext(kid, "HS256"));

/**
 * Runs at start, before anything signs (on PostgreSQL under the migration lock, so instances
 * starting together do it once):
 * - the HS256 secret of an older release (kept in the database, or given as JWT_SECRET) moves,
 *   sealed, into the key table as a retired key, and its clear copy is deleted — its tokens keep
 *   working until they expire;
 * - with no current key, one is generated (a new install, or an upgrade).
 */
export async function bootstrapKeys(db: Db, keys: KeyStore, secret: MasterSecret, options: { alg: TokenAlgorithm; jwtSecret: string | undefined }): Promise<void> {
  const now = Date.now();
  const existing = await keys.list();
  const stored = await db.setting.findUnique({ where: { key: LEGACY_SETTING } });
  const legacySecret = stored?.value ?? options.jwtSecret;
  const olderTokens = legacySecret ? await db.accessToken.count({ where: { signingKeyId: null } }) : 0;
  if (legacySecret && olderTokens > 0 && !existing.some((k) => k.kid === LEGACY_KID)) {
    await keys.insert(
      { kid: LEGACY_KID, alg: "HS256", state: "retired", publicJwk: null, sealedKey: sealHs256(secret, LEGACY_KID, legacySecret) },
      now,
    );
    await keys.adopt(LEGACY_KID);
  }
  if (stored) await db.setting.delete({ where: { key: LEGACY_SETTING } });
  if (!existing.some((k) => k.state === "current")) {
    const generated = await generateSigningKey(options.alg);
    await keys.insert(
      {
        kid: generated.kid,
        alg: generated.alg,
        state: "current",
        publicJwk: JSON.stringify(generated.publicJwk),
        sealedKey: secret.seal(generated.privateKey, sealContext(generated.kid, generated.alg)),
      },
      now,
    );
  }
}
