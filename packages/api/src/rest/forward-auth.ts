import type { IncomingMessage, ServerResponse } from "node:http";
import { audienceAccepts, endpointAllowed, normalizeRequestPath, parseAudience } from "@tokensmith/core";
import { isDatabaseUnavailable } from "@tokensmith/db";
import { requestContext, type Services } from "../context/index.js";
import { checkBearer, type BearerCheck } from "../auth/bearer.js";
import type { MaybePromise } from "../util/maybe-promise.js";
import { requestMeta } from "../node/request.js";
import { noteCaller } from "../node/request-record.js";
import { UNAVAILABLE_RETRY_SECONDS } from "../auth/errors.js";
import { overLimitHeaders, rateLimitHeaders } from "../rate-limits/headers.js";
import { readOriginalRequest } from "./forward-auth-headers.js";
import { checkedToken, spendUse, type SpentUse } from "../auth/uses.js";
import { dpopChallenge, dpopHeader, dpopPresentation } from "../auth/dpop.js";

export const FORWARD_AUTH_PATH = "/v1alpha/forward-auth";
const REALM = 'Bearer realm="tokensmith"';

/**
 * A reverse proxy's sub-request (nginx auth_request, Traefik ForwardAuth, Caddy forward_auth):
 * is this token allowed to make the original request? It reads the original method and URI from
 * X-Original-Method/-URI (nginx) or X-Forwarded-Method/-Uri (Traefik, Caddy) as
 * FORWARD_AUTH_HEADERS says (see forward-auth-headers.ts), never a body, and writes no row per
 * request (last-used stays batched). The path is read as the server behind will serve it (query
 * dropped, escapes decoded once; dot segments, `;`, `//`, %2F refused — see @tokensmith/endpoints),
 * so a pattern cannot be escaped. nginx passes on only 2xx, 401 and 403: anything it cannot judge
 * (no original URI, two sets that disagree, a path it refuses) is a 403, with the reason in
 * X-Tokensmith-Error.
 *
 * `?audience=<uri>` on the sub-request's own URL (repeatable: any one will do) requires the token
 * to name that audience; `?origin=<scheme://host[:port]>` is the API's origin a DPoP proof must name
 * (else the host the client addressed, which a server answering any Host lets the client choose).
 * The URL is the proxy's configuration, not the client's: no header a client can send reaches it,
 * so a location's requirement cannot be forged or dropped.
 */
export function createForwardAuthHandler(services: Services) {
  return (req: IncomingMessage, res: ServerResponse): MaybePromise<void> => {
    const answer = (status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Cache-Control": "no-store", "Content-Length": "0", ...headers });
      res.end();
    };
    const original = readOriginalRequest(req.rawHeaders, services.config.forwardAuthHeaders);
    const required = requiredAudience(req.url ?? "");
    const authorization = req.headers.authorization?.trim() ?? "";
    const space = authorization.indexOf(" ");
    const scheme = space === -1 ? "" : authorization.slice(0, space).toLowerCase();
    if (scheme !== "bearer" && scheme !== "dpop") return answer(401, { "WWW-Authenticate": REALM });
    const request = requestMeta(req, services.config.trustProxy);
    const pinned = pinnedOrigin(req.url ?? "");
    // The proof must name the request the proxy asks about: its method and URI, at the API's origin
    // as the proxy's configuration names it (`?origin=`), else as the client addressed it (Host, or
    // X-Forwarded-Host/-Proto with TRUST_PROXY), as the API will serve it.
    const presented = original.ok && pinned.ok
      ? dpopPresentation(scheme, dpopHeader(req.rawHeaders), original.method, pinned.origin ?? request.origin, original.uri)
      : dpopPresentation(scheme, dpopHeader(req.rawHeaders), "", undefined, "");
    // One shape with every other context checkBearer is given: its property reads stay monomorphic.
    const ctx = requestContext(services, request);
    // The caller's address is the one the proxy passes (X-Forwarded-For), so only with
    // TRUST_PROXY; without it the address is unknown, and no allowlist admits an unknown address.
    const clientAddress = services.config.trustProxy > 0 ? request.ip : null;
    const unavailable = (error: unknown): void => {
      if (!isDatabaseUnavailable(error)) throw error;
      answer(503, { "Retry-After": String(UNAVAILABLE_RETRY_SECONDS) });
    };
    const judge = (checked: BearerCheck): MaybePromise<void> => {
      if (checked.ok) noteCaller(req, { userId: checked.record.userId, token: { id: checked.claims.jti } });
      const forbidden = (why: string, headers: Record<string, string> = {}) =>
        answer(403, { "WWW-Authenticate": `${REALM}, error="insufficient_scope"`, "X-Tokensmith-Error": why, ...headers });
      if (!checked.ok) {
        if (checked.refusal === "address") return forbidden("address not allowed");
        if (checked.refusal === "invalid") return answer(401, { "WWW-Authenticate": `${REALM}, error="invalid_token"` });
        if (checked.refusal === "dpop") return answer(401, { "WWW-Authenticate": dpopChallenge(checked.error, checked.reason), "X-Tokensmith-Error": checked.reason });
        // nginx passes on only 2xx, 401 and 403: it gets a 403 its configuration turns into a 429.
        return original.set === "original" ? forbidden("rate limited", overLimitHeaders(checked.quota)) : answer(429, overLimitHeaders(checked.quota));
      }
      const limits = checked.quota ? rateLimitHeaders(checked.quota) : {};
      const insufficient = (why: string) => {
        services.usage.count(checked.claims.jti, "forbidden");
        forbidden(why, limits);
      };
      if (!original.ok) return insufficient(original.reason);
      if (!required.ok) return insufficient(required.reason);
      if (!pinned.ok) return insufficient(pinned.reason);
      if (required.audience !== null && !audienceAccepts(checked.record.audience, required.audience)) {
        // As a verifier that checks aud itself answers: the token is not valid here (RFC 6750 §3.1).
        services.usage.count(checked.claims.jti, "forbidden");
        return answer(401, { ...limits, "WWW-Authenticate": `${REALM}, error="invalid_token"`, "X-Tokensmith-Error": "the token is not meant for this audience" });
      }
      // As the proxy got it: `get` is not `GET` (see the endpoints' methodMatches).
      const method = original.method;
      if (!/^[A-Za-z]{1,16}$/.test(method)) return insufficient("the original method is not an HTTP method");
      const path = normalizeRequestPath(original.uri);
      if (!path.ok) return insufficient(`original URI refused: ${path.reason}`);
      // Escaped: a header value holds no character above U+00FF (writeHead would throw on `€`).
      if (!endpointAllowed(checked.record.endpoints, method, path.path)) return insufficient(`not allowed: ${method} ${encodeURI(path.path)}`);
      // A check the proxy asks for is a use of the API behind it (auth/uses.ts).
      if (checked.record.maxUses === null) return allow(checked, limits);
      return (spendUse(services, checkedToken(checked.claims.jti, checked.record)) as Promise<SpentUse>).then((spent) =>
        spent.ok ? allow(checked, limits, spent.usesLeft) : answer(401, { "WWW-Authenticate": `${REALM}, error="invalid_token", error_description="The token has no uses left"` }),
      );
    };
    const allow = (checked: Extract<BearerCheck, { ok: true }>, limits: Record<string, string>, usesLeft: number | null = null): void => {
      services.usage.count(checked.claims.jti, "allowed");
      answer(200, {
        ...(usesLeft === null ? {} : { "X-Tokensmith-Uses-Remaining": String(usesLeft) }),
        ...limits,
        "X-Tokensmith-User": checked.record.username,
        "X-Tokensmith-User-Id": checked.record.userId,
        // "person" or "service": an API can tell a service account's call from a person's.
        "X-Tokensmith-Account-Type": checked.record.accountType,
        "X-Tokensmith-Token-Id": checked.claims.jti,
      });
    };
    let pending: MaybePromise<BearerCheck>;
    try {
      pending = checkBearer(ctx, authorization.slice(space + 1).trim(), clientAddress, 1, { presented });
    } catch (error) {
      return unavailable(error);
    }
    // A cached token is judged without an await (see checkBearer).
    if (pending instanceof Promise) return pending.then((checked) => judge(checked)).catch(unavailable);
    const judged = judge(pending);
    return judged instanceof Promise ? judged.catch(unavailable) : judged;
  };
}

/** The values of one parameter of the sub-request's own URL (the proxy's configuration); none without a query. */
function configured(url: string, name: string): string[] {
  const query = url.indexOf("?");
  return query === -1 ? [] : new URLSearchParams(url.slice(query + 1)).getAll(name);
}

type RequiredAudience = { ok: true; audience: string[] | null } | { ok: false; reason: string };
const ANY_AUDIENCE: RequiredAudience = { ok: true, audience: null };

/** The `audience` parameters of the sub-request's URL; a value that is not an audience is the proxy configuration's fault. */
function requiredAudience(url: string): RequiredAudience {
  const named = configured(url, "audience");
  if (named.length === 0) return ANY_AUDIENCE;
  const parsed = parseAudience(named);
  return parsed.ok ? { ok: true, audience: parsed.audience } : { ok: false, reason: `the audience parameter ${parsed.message}` };
}

type PinnedOrigin = { ok: true; origin: string | undefined } | { ok: false; reason: string };
const UNPINNED: PinnedOrigin = { ok: true, origin: undefined };

/** The `origin` parameter of the sub-request's URL: one http(s) origin, as a DPoP proof's htu starts. */
function pinnedOrigin(url: string): PinnedOrigin {
  const named = configured(url, "origin");
  if (named.length === 0) return UNPINNED;
  const parsed = named.length === 1 && URL.canParse(named[0]!) ? new URL(named[0]!) : null;
  const bare = parsed && /^https?:$/.test(parsed.protocol) && parsed.pathname === "/" && !parsed.search && !parsed.hash && !parsed.username && !parsed.password;
  if (!bare) return { ok: false, reason: "the origin parameter must be one origin such as https://api.example.com" };
  return { ok: true, origin: parsed.origin };
}
