import { MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, userWithPassword } from "./password-check.js";
import type { Services } from "../context/services.js";
import type { RequestMeta } from "../context/request-meta.js";
import type { AuthFailure, Caller } from "./caller.js";
import { readCookie, SESSION_COOKIE } from "./cookies.js";
import { sha256Hex } from "@tokensmith/core";
import { checkBearer, type BearerCheck } from "./bearer.js";
import { isServiceAccount } from "./users.js";
import { andThen, type MaybePromise } from "../util/maybe-promise.js";
import type { Quota } from "../rate-limits/rate-limiter.js";
import { basicClient, splitBasic, type ClientCredentials } from "./client-credentials.js";
import { dpopPresentation, type Presentation } from "./dpop.js";

export interface RequestHeaders {
  authorization?: string | undefined;
  cookie?: string | undefined;
  /**
   * Set at an OAuth client endpoint (introspection, revocation): Basic is read as RFC 6749 §2.3.1
   * has it (form-encoded), and `post` holds the body's client_id and client_secret, if sent.
   */
  oauthClient?: { post: ClientCredentials | null } | undefined;
  /** The DPoP header (undefined: none; null: repeated), and the method and path (as sent) a proof must name. */
  dpop?: { proof: string | null | undefined; method: string; path: string } | undefined;
}

export type Resolved = { caller: Caller | null; authFailure: AuthFailure; retryAfterSeconds?: number; quota?: Quota; authReason?: string; presented?: Presentation };

const refused = (authFailure: Exclude<AuthFailure, null>): Resolved => ({ caller: null, authFailure });

type ResolveContext = Pick<Services, "config" | "dpopProofs" | "db" | "tokens" | "tokenWriter" | "verifiedTokens" | "keys" | "lastUsed" | "credentials" | "revocations" | "usage" | "rateLimits" | "basicSuccesses" | "webhooks"> & {
  request: RequestMeta;
};

/** `calls`: how many procedure calls the request carries (a tRPC batch), each counted against a token's rate limit. */
export function resolveCaller(services: ResolveContext, headers: RequestHeaders, calls = 1): MaybePromise<Resolved> {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const space = authorization.indexOf(" ");
    const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space === -1 ? "" : authorization.slice(space + 1).trim();
    if (scheme === "bearer" || scheme === "dpop") return fromBearer(services, value, calls, presentation(services, headers, scheme));
    if (scheme === "basic") {
      const client = headers.oauthClient ? basicClient(value) : plainBasic(value);
      return client ? andThen(fromPassword(services, client), (resolved) => withProof(resolved, services, headers)) : refused("invalid_credentials");
    }
    return refused("unsupported_scheme");
  }
  if (headers.oauthClient?.post) return fromPassword(services, headers.oauthClient.post);
  const session = readCookie(headers.cookie, SESSION_COOKIE);
  if (session) return andThen(fromSession(services, session), (resolved) => withProof(resolved, services, headers));
  return { caller: null, authFailure: null };
}

/**
 * The request as a DPoP proof must name it: our public URL (PUBLIC_URL, else the origin the client
 * addressed: see requestMeta) and the path exactly as sent, compared in dpopTarget's one form.
 */
function presentation(ctx: ResolveContext, headers: RequestHeaders, scheme: string): Presentation | undefined {
  if (!headers.dpop) return scheme === "dpop" ? { scheme: "dpop", proof: undefined, method: "", url: undefined } : undefined;
  const { proof, method, path } = headers.dpop;
  return dpopPresentation(scheme, proof, method, ctx.config.publicUrl ?? ctx.request.origin, path);
}

/** A session's or password's request may carry a DPoP proof to bind the token it creates (see create.handler.ts). */
function withProof(resolved: Resolved, ctx: ResolveContext, headers: RequestHeaders): Resolved {
  const presented = headers.dpop?.proof === undefined ? undefined : presentation(ctx, headers, "bearer");
  return presented ? { ...resolved, presented } : resolved;
}

function fromBearer(ctx: ResolveContext, token: string, calls: number, presented: Presentation | undefined): MaybePromise<Resolved> {
  return andThen(checkBearer(ctx, token, ctx.request.ip, calls, presented ? { presented } : undefined), (checked) => {
    const resolved = bearerCaller(checked);
    return presented?.proof ? { ...resolved, presented } : resolved;
  });
}

function bearerCaller(checked: BearerCheck): Resolved {
  if (!checked.ok) {
    if (checked.refusal === "rate_limited") return { caller: null, authFailure: "token_rate_limited", quota: checked.quota };
    if (checked.refusal === "dpop") return { caller: null, authFailure: checked.error === "invalid_token" ? "dpop_invalid_token" : "invalid_dpop_proof", authReason: checked.reason };
    return refused(checked.refusal === "address" ? "address_not_allowed" : "invalid_token");
  }
  const { claims, record } = checked;
  return {
    caller: {
      userId: record.userId,
      username: record.username,
      isAdmin: record.isAdmin,
      introspectAny: record.introspectAny,
      via: "bearer",
      token: {
        id: claims.jti,
        endpoints: record.endpoints,
        expiresAt: record.expiresAt,
        revokedAt: record.revokedAt,
        rateLimit: record.rateLimit,
        allowedIps: record.allowedIps,
        maxUses: record.maxUses,
        audience: record.audience,
        dpopJkt: record.dpopJkt,
      },
    },
    authFailure: null,
    ...(checked.quota ? { quota: checked.quota } : {}),
  };
}

function plainBasic(encoded: string): ClientCredentials | null {
  const split = splitBasic(encoded);
  return split && { username: split.name, secrets: [split.secret] };
}

/**
 * A name and password (HTTP Basic, or an OAuth client's id and secret): counted against the same
 * limits as signing in, before anything is hashed; the secrets a client's one request may mean
 * (see ClientCredentials) are one attempt.
 */
async function fromPassword(ctx: ResolveContext, { username, secrets }: ClientCredentials): Promise<Resolved> {
  // Nobody's credentials are this long: refused without costing a hash.
  if (username.length > MAX_USERNAME_LENGTH || secrets.some((secret) => secret.length > MAX_PASSWORD_LENGTH)) return refused("invalid_credentials");
  const outcome = await ctx.credentials.attempt(
    { username, password: secrets.join("\0"), ip: ctx.request.ip, userAgent: ctx.request.userAgent, via: "basic" },
    async () => {
      for (const secret of secrets) {
        const user = await userWithPassword(ctx.db, username, secret, ctx.basicSuccesses);
        if (user) return user;
      }
      return null;
    },
  );
  if (!outcome.ok) {
    return outcome.reason === "limited"
      ? { caller: null, authFailure: "rate_limited", retryAfterSeconds: outcome.retryAfterSeconds }
      : refused("invalid_credentials");
  }
  const user = outcome.value;
  return { caller: { userId: user.id, username: user.username, isAdmin: user.isAdmin, introspectAny: user.introspectAny, via: "basic" }, authFailure: null };
}

async function fromSession({ db }: ResolveContext, value: string): Promise<Resolved> {
  const session = await db.session.findUnique({ where: { id: sha256Hex(value) }, include: { user: true } });
  // A service account never signs in, so holds no session; were one written anyway, it opens nothing.
  if (!session || session.expiresAt.getTime() <= Date.now() || isServiceAccount(session.user)) return { caller: null, authFailure: null };
  const { user } = session;
  return {
    caller: { userId: user.id, username: user.username, isAdmin: user.isAdmin, introspectAny: user.introspectAny, via: "session", sessionId: session.id },
    authFailure: null,
  };
}
