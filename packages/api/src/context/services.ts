import type { AccountWriter, Db, TokenReader, TokenWriter } from "@tokensmith/db";
import type { SigningKey } from "@tokensmith/core";
import type { Config } from "../config.js";
import type { CredentialGuard } from "../auth/credential-guard.js";
import type { VerifiedTokenCache } from "../auth/verified-tokens.js";
import type { LastUsedRecorder } from "../auth/last-used.js";

/** Long-lived things every request shares. */
export interface Services {
  db: Db;
  config: Config;
  signingKey: SigningKey;
  /** Prepared-statement reads for the Bearer hot path. */
  tokens: TokenReader;
  /** Token writes that must be atomic (create under a parent, rotate, end a lineage). */
  tokenWriter: TokenWriter;
  /** Account writes that must be atomic (a password reset ends every session). */
  accounts: AccountWriter;
  verifiedTokens: VerifiedTokenCache;
  lastUsed: LastUsedRecorder;
  /** Password guesses (sign-in and HTTP Basic) counted and limited before they are checked. */
  credentials: CredentialGuard;
}
