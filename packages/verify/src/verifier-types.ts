import type { DpopRequest } from "./dpop.js";
import type { FeedEvent } from "./revocation-feed.js";

/** The verifier's public contract: what createVerifier (verifier.ts) takes and returns. */

/** Who is calling: what a protected route gets once `verify` has accepted the token. */
export interface Caller {
  userId: string;
  username: string;
  tokenId: string;
  /** The token's allowed endpoints ("METHOD /path" patterns), or null when it may call every one. */
  endpoints: string[] | null;
  /** The addresses (CIDR ranges) the token may be used from, or null for any address. */
  allowedIps: string[] | null;
  /** The audiences the token names (`aud`), or null when it names none. */
  audience: string[] | null;
  expiresAt: Date;
}

/**
 * The request being authorised: its method and its raw path (query and escapes are fine); for a
 * DPoP-bound token also its DPoP header and absolute URL (`dpop`, `url`: read only for such a token
 * or the DPoP scheme, so they may be getters).
 */
export interface RequestTarget extends DpopRequest {
  method: string;
  path: string;
  /**
   * The caller's IP address, as your framework determined it (Express `req.ip`, Fastify
   * `request.ip`: both honour their trust-proxy setting). Only a token with an allowlist needs
   * it, and such a token is refused when it is missing. Read only for such a token (it may be a getter).
   */
  ip?: string | null | undefined;
}

export interface VerifierOptions {
  /** The Tokensmith issuer (its PUBLIC_URL): tokens must carry exactly this `iss`. */
  issuer: string;
  /**
   * This API's audience (an absolute URI or urn:), or several: a token must name at least one of
   * them in its `aud`, and a token that names none is refused. Default: any token, `aud` or not.
   */
  audience?: string | string[];
  /**
   * A key that opens the revocation feed: one of Tokensmith's REVOCATION_FEED_KEYS. The feed
   * names every user's revoked token ids, so Tokensmith serves it to key holders only.
   */
  feedKey: string;
  /** Where to reach Tokensmith when it is not at the issuer URL (e.g. an internal address). */
  baseUrl?: string;
  /** Refuse with 503 once the revocation data is older than this (ms). Default 30 000. */
  maxStaleness?: number;
  /** Until this long after creation, `verify` waits for the first snapshot instead of answering 503 (ms). Default 3 000. */
  startupWait?: number;
  /** Used for the key set and the revocation feed. Default: the global fetch. */
  fetch?: typeof fetch;
  /** The realm in WWW-Authenticate challenges. Default "tokensmith". */
  realm?: string;
  /** Signature algorithms accepted. Default ES256 and EdDSA, what Tokensmith signs with. */
  algorithms?: string[];
  /** Verified tokens kept in memory; the oldest is dropped past this. Default 10 000. */
  cacheSize?: number;
  /** Least time between two key set fetches caused by an unknown `kid` (ms). Default 3 000. */
  keyRefetchCooldown?: number;
  /** A feed connection silent for this long is dropped and reopened (ms). Default 3 000 (3 heartbeats). */
  silenceTimeout?: number;
  /** The longest wait between reconnection attempts (ms). Default 5 000. */
  maxReconnectDelay?: number;
  /** How far a DPoP proof's `iat` may be from this machine's clock, either way (seconds). Default 60, as the server's DPOP_PROOF_WINDOW. */
  dpopWindow?: number;
  /** DPoP proofs remembered against replay; when full of unexpired ones, new proofs get 503. Default 100 000. */
  dpopProofCapacity?: number;
  /** Told when the feed connects or drops, for logs and metrics. */
  onFeedEvent?: (event: FeedEvent) => void;
}

export interface VerifierStatus {
  /** A snapshot and a heartbeat have arrived. */
  ready: boolean;
  /** How old the revocation data is (ms); Infinity before it is ready. */
  staleness: number;
  /** Whether `verify` would accept a valid token now (staleness within maxStaleness). */
  fresh: boolean;
  revokedTokens: number;
  cachedTokens: number;
  /**
   * How far Tokensmith's clock is ahead of this machine's (ms; negative: behind), from the feed's
   * heartbeats. Revocations and expiry are judged by the later of the two clocks.
   */
  clockSkew: number;
}

export interface Verifier {
  /**
   * Accepts a whole Authorization header (`Bearer …` or `DPoP …`, any case) or a bare token
   * (Bearer); resolves with the caller or rejects with a VerifyError (401 invalid_token or
   * invalid_dpop_proof, 403 insufficient_scope, 503 unavailable).
   */
  verify(authorization: string | null | undefined, request: RequestTarget): Promise<Caller>;
  /**
   * `verify` for framework glue on a hot path: for a token already seen, the caller at once (or a
   * thrown VerifyError); otherwise (a signature to check, a first snapshot to wait for) `verify`'s promise.
   */
  check(authorization: string | null | undefined, request: RequestTarget): Caller | Promise<Caller>;
  /** Resolves true once the first revocation snapshot is in, false after `timeoutMs` without it. */
  ready(timeoutMs?: number): Promise<boolean>;
  status(): VerifierStatus;
  /** Stops the feed and every timer; `verify` answers 503 afterwards. */
  close(): Promise<void>;
}
