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

export interface RequestHeaders {
  authorization?: string | undefined;
  cookie?: string | undefined;
  /**
   * Set at an OAuth client endpoint (introspection, revocation): Basic is read as RFC 6749 §2.3.1
   * has it (form-encoded), and `post` holds the body's client_id and client_secret, if sent.
   */
  oauthClient?: { post: ClientCredentials | null } | undefined;
}

export type Resolved = { caller: Caller | null; authFailure: AuthFailure; retryAfterSeconds?: number; quota?: Quota };

const refused = (authFailure: Exclude<AuthFailure, null>): Resolved => ({ caller: null, authFailure });

type ResolveContext = Pick<Services, "db" | "tokens" | "tokenWriter" | "verifiedTokens" | "keys" | "lastUsed" | "credentials" | "revocations" | "usage" | "rateLimits" | "basicSuccesses" | "webhooks"> & {
  request: RequestMeta;
};

/** `calls`: how many procedure calls the request carries (a tRPC batch), each counted against a token's rate limit. */
export function resolveCaller(services: ResolveContext, headers: RequestHeaders, calls = 1): MaybePromise<Resolved> {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const space = authorization.indexOf(" ");
    const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space === -1 ? "" : authorization.slice(space + 1).trim();
    if (scheme === "bearer") return fromBearer(services, value, calls);
    if (scheme === "basic") {
      const client = headers.oauthClient ? basicClient(value) : plainBasic(value);
      return client ? fromPassword(services, client) : refused("invalid_credentials");
    }
    return refused("unsupported_scheme");
  }
  if (headers.oauthClient?.post) return fromPassword(services, headers.oauthClient.post);
  const session = readCookie(headers.cookie, SESSION_COOKIE);
  if (session) return fromSession(services, session);
  return { caller: null, authFailure: null };
}

function fromBearer(ctx: ResolveContext, token: string, calls: number): MaybePromise<Resolved> {
  return andThen(checkBearer(ctx, token, ctx.request.ip, calls), bearerCaller);
}

function bearerCaller(checked: BearerCheck): Resolved {
  if (!checked.ok) {
    if (checked.refusal === "rate_limited") return { caller: null, authFailure: "token_rate_limited", quota: checked.quota };
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
