import type { Db, TokenReader } from "@tokensmith/db";
import type { SigningKey } from "@tokensmith/core";
import type { Config } from "../config.js";
import type { FailureLimiter } from "../auth/rate-limit.js";
import type { VerifiedTokenCache } from "../auth/verified-tokens.js";
import type { LastUsedRecorder } from "../auth/last-used.js";

/** Long-lived things every request shares. */
export interface Services {
  db: Db;
  config: Config;
  signingKey: SigningKey;
  /** Prepared-statement reads for the Bearer hot path. */
  tokens: TokenReader;
  verifiedTokens: VerifiedTokenCache;
  lastUsed: LastUsedRecorder;
  /** Failed sign-ins per username and per IP. */
  loginLimiter: FailureLimiter;
}
