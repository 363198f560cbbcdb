import { addressAllowed, parseAllowlist } from "@tokensmith/addresses";
import { audienceOfClaim, endpointAllowed, isTokenType, normalizeRequestPath, parseAudience } from "@tokensmith/endpoints";
import { errors, jwtVerify, type JWTPayload } from "jose";
import { VerifyError } from "./errors.js";
import { DEFAULT_DPOP_WINDOW_SECONDS, isJwkThumbprint } from "@tokensmith/core/dpop";
import { readCredentials, isTokenFault, type Credentials } from "./token-checks.js";
import { DEFAULT_DPOP_PROOF_CAPACITY, ProofReplays, proveUse } from "./dpop.js";
import { KeySet } from "./keys.js";
import { rememberAllowed, SeenTokens, type VerifiedToken } from "./seen-tokens.js";
import { RevocationFeed } from "./revocation-feed.js";
import type { Caller, RequestTarget, Verifier, VerifierOptions } from "./verifier-types.js";

export type { Caller, RequestTarget, Verifier, VerifierOptions, VerifierStatus } from "./verifier-types.js";

/** Far beyond any real token (a Tokensmith JWT is ~500 bytes): refused before any parsing. */
const MAX_TOKEN_LENGTH = 8192;

export function createVerifier(options: VerifierOptions): Verifier {
  if (typeof options?.issuer !== "string" || !/^https?:\/\//.test(options.issuer)) {
    throw new TypeError("createVerifier: `issuer` must be the issuer's http(s) URL");
  }
  if (typeof options.feedKey !== "string" || options.feedKey.trim() === "") {
    throw new TypeError("createVerifier: `feedKey` must be a key that opens Tokensmith's revocation feed (one of its REVOCATION_FEED_KEYS)");
  }
  const audience = options.audience === undefined ? undefined : parseAudience(options.audience);
  if (audience !== undefined && !audience.ok) throw new TypeError(`createVerifier: \`audience\` ${audience.message}`);
  const issuer = options.issuer.replace(/\/+$/, "");
  const base = (options.baseUrl ?? issuer).replace(/\/+$/, "");
  const maxStaleness = options.maxStaleness ?? 30_000;
  const startupWait = options.startupWait ?? 3_000;
  const cacheSize = options.cacheSize ?? 10_000;
  const realm = options.realm ?? "tokensmith";
  const algorithms = options.algorithms ?? ["ES256", "EdDSA"];
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);

  const keys = new KeySet({ url: `${base}/.well-known/jwks.json`, fetch: fetchImpl, cooldown: options.keyRefetchCooldown ?? 3_000 });
  const feed = new RevocationFeed({
    // Entries in batches (a server of an earlier release ignores the parameter and sends a snapshot).
    url: `${base}/v1alpha/revocations?batch=1`,
    key: options.feedKey.trim(),
    fetch: fetchImpl,
    silenceTimeout: options.silenceTimeout ?? 3_000,
    maxReconnectDelay: options.maxReconnectDelay ?? 5_000,
    ...(options.onFeedEvent ? { onEvent: options.onFeedEvent } : {}),
  });
  const verified = new SeenTokens(cacheSize);
  const replays = new ProofReplays(options.dpopProofCapacity ?? DEFAULT_DPOP_PROOF_CAPACITY);
  const dpop = { realm, windowSeconds: options.dpopWindow ?? DEFAULT_DPOP_WINDOW_SECONDS };
  const firstSights = new Map<string, Promise<VerifiedToken>>();
  let closed = false;
  const createdAt = performance.now();

  const refuse = (message: string) => new VerifyError("invalid_token", message, { realm });
  const outOfScope = (message: string) => new VerifyError("insufficient_scope", message, { realm });
  const unavailable = (message: string) => new VerifyError("unavailable", message, { realm });

  /** One signature check; concurrent first sights of one token share it. */
  function firstSight(token: string): Promise<VerifiedToken> {
    let pending = firstSights.get(token);
    if (!pending) {
      pending = checkSignature(token).finally(() => firstSights.delete(token));
      firstSights.set(token, pending);
    }
    return pending;
  }

  async function checkSignature(token: string): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      const checked = await jwtVerify(token, keys.getKey, {
        issuer,
        algorithms,
        requiredClaims: ["sub", "jti", "exp"],
        ...(audience?.ok ? { audience: audience.audience } : {}),
      });
      if (!isTokenType(checked.protectedHeader.typ)) {
        throw new errors.JWTClaimValidationFailed('unexpected "typ" JWT header value', checked.payload, "typ", "check_failed");
      }
      payload = checked.payload;
    } catch (error) {
      if (isTokenFault(error)) throw refuse(error instanceof errors.JWTExpired ? "the token has expired" : "the token is not valid");
      // Anything else is ours, not the token's: the key set could not be fetched or read.
      throw unavailable("the issuer's keys could not be fetched");
    }
    // Absent (or null, as introspection spells it) means every endpoint; anything else must be a list of patterns.
    const endpoints = payload.jwt_token_endpoints ?? null;
    // Likewise for the allowlist; a list that does not parse is not one Tokensmith signed.
    const allowedIps = payload.jwt_token_allowed_ips ?? null;
    const tokenAudience = audienceOfClaim(payload.aud);
    const allowlist = Array.isArray(allowedIps) && allowedIps.every((range) => typeof range === "string") ? parseAllowlist(allowedIps) : null;
    if (
      typeof payload.username !== "string" ||
      typeof payload.sub !== "string" ||
      typeof payload.jti !== "string" ||
      (endpoints !== null && !(Array.isArray(endpoints) && endpoints.every((pattern) => typeof pattern === "string"))) ||
      (allowedIps !== null && !allowlist?.ok) ||
      (payload.aud !== undefined && tokenAudience === null)
    ) {
      throw refuse("the token is not a Tokensmith access token");
    }
    // Only Tokensmith can count a use-limited token's uses: offline, it could be used without end.
    if (payload.jwt_token_max_uses !== undefined) {
      throw refuse("the token is use-limited: only Tokensmith can count its uses (check it by introspection or forward auth)");
    }
    // A DPoP-bound token (cnf.jkt): every use needs a proof by that key (dpop.ts). Any other cnf is not one Tokensmith signs.
    const jkt = payload.cnf === undefined ? null : (payload.cnf as { jkt?: unknown } | null)?.jkt;
    if (jkt !== null && !(typeof jkt === "string" && isJwkThumbprint(jkt))) throw refuse("the token's cnf is not a DPoP key binding");
    const entry: VerifiedToken = {
      token,
      userId: payload.sub,
      username: payload.username,
      tokenId: payload.jti,
      // Plain arrays, never handed out (callers get copies): slicing a frozen array costs ~35× more.
      endpoints: endpoints === null ? null : [...(endpoints as string[])],
      allowedIps: allowlist?.ok ? { ranges: allowlist.ranges, text: [...allowlist.canonical] } : null,
      audience: tokenAudience === null ? null : [...tokenAudience],
      expiresAtMs: (payload.exp as number) * 1000,
      jkt,
      allowedMethod: "",
      allowedPath: "",
    };
    if (!closed) verified.add(entry);
    return entry;
  }

  /** A seen token is judged without a promise: a microtask hop per request costs more than the check. */
  function check(authorization: string | null | undefined, request: RequestTarget): Caller | Promise<Caller> {
    if (closed) throw unavailable("the verifier is closed");
    const sent = readCredentials(authorization);
    if (sent === undefined) throw new VerifyError("invalid_token", "no bearer token was sent", { realm, tokenSent: false });
    if (sent.token.length > MAX_TOKEN_LENGTH) throw refuse("the token is not valid");
    const known = verified.get(sent.token);
    return known !== undefined && feed.ready ? judge(sent, known, request) : firstSightThenJudge(sent, request);
  }

  async function firstSightThenJudge(sent: Credentials, request: RequestTarget): Promise<Caller> {
    const { token } = sent;
    // Only the calls of the first moments wait: if Tokensmith was out of reach at start, later
    // calls answer 503 at once instead of each holding its request for startupWait.
    if (!feed.ready) {
      const startupLeft = createdAt + startupWait - performance.now();
      if (startupLeft > 0) await feed.waitUntilReady(startupLeft);
    }
    return judge(sent, verified.get(token) ?? (await firstSight(token)), request);
  }

  /** Synchronous, except for a DPoP proof to check (a bound token, or the DPoP scheme): single-use, so on every request. */
  function judge(sent: Credentials, known: VerifiedToken, request: RequestTarget): Caller | Promise<Caller> {
    const token = sent.token;
    // Tokensmith's clock where ours is behind it: see RevocationFeed.now.
    const now = feed.now();
    if (known.expiresAtMs <= now) {
      verified.delete(token);
      throw refuse("the token has expired");
    }
    const revoked = feed.revoked.get(known.tokenId);
    if (revoked !== undefined && revoked.at <= now) throw refuse("the token has been revoked");
    if (feed.isPaused(known.tokenId)) throw refuse("the token is paused");

    if (known.allowedIps !== null) {
      // Read only here: Express computes req.ip on each read, and most tokens have no allowlist.
      const ip = request.ip;
      if (!addressAllowed(known.allowedIps.ranges, typeof ip === "string" ? ip : null)) {
        throw outOfScope(ip ? `the token may not be used from ${String(ip).slice(0, 64)}` : "the token may be used only from some addresses, and the caller's is unknown");
      }
    }
    const method = String(request.method);
    const rawPath = String(request.path);
    // The decision depends on nothing else (the token's endpoints are fixed), so a repeat is allowed again.
    if (method !== known.allowedMethod || rawPath !== known.allowedPath) {
      const path = normalizeRequestPath(rawPath);
      if (!path.ok) throw outOfScope(path.reason);
      if (!endpointAllowed(known.endpoints as string[] | null, method, path.path)) {
        throw outOfScope(`the token does not allow ${method} ${path.path}`);
      }
      rememberAllowed(known, method, rawPath);
    }
    // Last, so that a refusal is given whenever one is due: only an acceptance needs fresh data.
    if (closed) throw unavailable("the verifier is closed");
    if (feed.age() > maxStaleness) throw unavailable("the revocation list is out of date; try again shortly");
    if (known.jkt === null && sent.scheme === "bearer") return callerOf(known);
    return proveUse(replays, dpop, known.jkt, token, sent.scheme, request).then(() => {
      if (closed) throw unavailable("the verifier is closed");
      return callerOf(known);
    });
  }

  function callerOf(known: VerifiedToken): Caller {
    return {
      userId: known.userId,
      username: known.username,
      tokenId: known.tokenId,
      // A copy: a route that edits its caller cannot change what the next request sees.
      endpoints: known.endpoints === null ? null : known.endpoints.slice(),
      allowedIps: known.allowedIps === null ? null : known.allowedIps.text.slice(),
      audience: known.audience === null ? null : known.audience.slice(),
      expiresAt: new Date(known.expiresAtMs),
    };
  }

  return {
    check,
    async verify(authorization, request) {
      return check(authorization, request);
    },
    async ready(timeoutMs = startupWait) {
      await feed.waitUntilReady(timeoutMs);
      return feed.ready;
    },
    status() {
      const staleness = feed.age();
      return {
        ready: feed.ready,
        staleness,
        fresh: !closed && staleness <= maxStaleness,
        revokedTokens: feed.revoked.size,
        cachedTokens: verified.size,
        clockSkew: feed.clockSkew,
      };
    },
    async close() {
      closed = true;
      keys.close();
      verified.clear();
      replays.clear();
      await feed.close();
    },
  };
}
