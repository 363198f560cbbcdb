import type { AccountWriter, AttemptCounter, Db, DpopProofStore, TokenReader, TokenWriter, UseStore } from "@tokensmith/db";
import type { Config } from "../config.js";
import type { CredentialGuard } from "../auth/credential-guard.js";
import type { BasicSuccessCache } from "../auth/basic-successes.js";
import type { VerifiedTokenCache } from "../auth/verified-tokens.js";
import type { LastUsedRecorder } from "../auth/last-used.js";
import type { KeyRing } from "../keys/key-ring.js";
import type { RevocationHub } from "../revocations/hub.js";
import type { UsageCounter } from "../usage/usage-counter.js";
import type { RateLimiter } from "../rate-limits/rate-limiter.js";
import type { WebhookDeliverer } from "../webhooks/deliverer.js";

/** Where this service is reached: the tokens' issuer and the base of every published URL. */
export interface Site {
  /** PUBLIC_URL, or the listening address once the server listens (no trailing slash). */
  publicUrl: string;
}

/** Long-lived things every request shares. */
export interface Services {
  db: Db;
  config: Config;
  /** Signs with the current key; verifies with any key in the table. */
  keys: KeyRing;
  site: Site;
  /** This instance's copy of the revocation feed, which offline verifiers follow. */
  revocations: RevocationHub;
  /** Each use of a token counted by outcome, in memory, flushed to hourly rows once a minute. */
  usage: UsageCounter;
  /** Per-token rate limits: counted here, shared through the database. */
  rateLimits: RateLimiter;
  /** Uses left of use-limited tokens, spent in the database (auth/uses.ts). */
  uses: UseStore;
  /** DPoP proofs seen, shared by every instance: each proof is accepted once (auth/dpop.ts). */
  dpopProofs: DpopProofStore;
  /** Prepared-statement reads for the Bearer hot path. */
  tokens: TokenReader;
  /** Token writes that must be atomic (create under a parent, rotate, end a lineage). */
  tokenWriter: TokenWriter;
  /** Account writes that must be atomic (a password reset ends every session). */
  accounts: AccountWriter;
  verifiedTokens: VerifiedTokenCache;
  lastUsed: LastUsedRecorder;
  /** Fixed-window counts shared through the database (guess limits; leaked-token reports per address). */
  attempts: AttemptCounter;
  /** Password guesses (sign-in and HTTP Basic) counted and limited before they are checked. */
  credentials: CredentialGuard;
  /** Recent HTTP Basic successes (BASIC_AUTH_CACHE), so the same credentials skip the full hash. */
  basicSuccesses: BasicSuccessCache;
  /** Sends the webhook outbox; nudged after each write that adds events. */
  webhooks: WebhookDeliverer;
}
