import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { ZodError } from "zod";
import type { AuthFailure } from "../auth/caller.js";
import { badRequest, HttpError } from "./http.js";
import { FieldProblem } from "../routers/field-error.js";
import { toWireField } from "./wire.js";
import { ADDRESS_NOT_ALLOWED_MESSAGE, INTERNAL_ERROR_MESSAGE, tooManyAttemptsMessage, UNAVAILABLE_MESSAGE, UNAVAILABLE_RETRY_SECONDS } from "../auth/errors.js";
import { overLimitMessage } from "../rate-limits/headers.js";
import { USES_EXHAUSTED_MESSAGE } from "../auth/uses.js";
import type { Quota } from "../rate-limits/rate-limiter.js";
import { dpopChallenge } from "../auth/dpop.js";

/** A refused password (RFC 7617): the Basic scheme, in UTF-8. */
const BASIC_CHALLENGE = 'Basic realm="tokensmith", charset="UTF-8"';

/**
 * At the OAuth client endpoints (introspection, revocation): a client whose credentials were
 * refused, or that sent none, is `invalid_client` with a Basic challenge (RFC 6749 §5.2); a token
 * (our Bearer extension) refused, rate limits and outages are answered as anywhere else.
 */
export function clientUnauthorized(ctx: { authFailure: AuthFailure; retryAfterSeconds?: number; quota?: Quota; authReason?: string }): HttpError {
  if (ctx.authFailure !== null && ctx.authFailure !== "invalid_credentials" && ctx.authFailure !== "unsupported_scheme") return unauthorized(ctx.authFailure, ctx.retryAfterSeconds, ctx.quota, ctx.authReason);
  const message = ctx.authFailure === null ? "Client authentication required: HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post)" : "Invalid client credentials";
  return new HttpError(401, message, { error: "invalid_client" }, { "WWW-Authenticate": BASIC_CHALLENGE });
}

/** RFC 6750: name the Bearer scheme; say invalid_token only when a token was sent and refused. */
export function unauthorized(failure: AuthFailure, retryAfterSeconds = 60, quota?: Quota, reason?: string): HttpError {
  if (failure === "unavailable") return databaseUnavailable();
  // RFC 9449 §7.1: the DPoP challenge, naming the algorithms a proof may use.
  if (failure === "invalid_dpop_proof" || failure === "dpop_invalid_token") {
    const error = failure === "invalid_dpop_proof" ? "invalid_dpop_proof" : "invalid_token";
    return new HttpError(401, reason ?? "Invalid DPoP proof", { error }, { "WWW-Authenticate": dpopChallenge(error, reason) });
  }
  // The token's RateLimit headers and Retry-After are already on the response.
  if (failure === "token_rate_limited" && quota) return new HttpError(429, overLimitMessage(quota));
  if (failure === "address_not_allowed") return new HttpError(403, ADDRESS_NOT_ALLOWED_MESSAGE);
  if (failure === "rate_limited") {
    return new HttpError(429, tooManyAttemptsMessage(retryAfterSeconds), {}, { "Retry-After": String(retryAfterSeconds) });
  }
  if (failure === "uses_exhausted") {
    const exhausted = 'Bearer realm="tokensmith", error="invalid_token", error_description="The token has no uses left"';
    return new HttpError(401, USES_EXHAUSTED_MESSAGE, {}, { "WWW-Authenticate": exhausted });
  }
  const challenge =
    failure === "invalid_token"
      ? 'Bearer realm="tokensmith", error="invalid_token", error_description="The token is invalid, expired or revoked"'
      : failure === "invalid_credentials"
        ? BASIC_CHALLENGE
        : 'Bearer realm="tokensmith"';
  const message =
    failure === "invalid_token"
      ? "Invalid or expired token"
      : failure === "invalid_credentials" || failure === "unsupported_scheme"
        ? "Invalid credentials"
        : "Authentication required: send Authorization: Bearer <token> or HTTP Basic credentials";
  return new HttpError(401, message, {}, { "WWW-Authenticate": challenge });
}

export function invalidInput(error: ZodError, what: string): HttpError {
  const errors = error.issues.map((issue) => ({
    field: issue.path.join(".") || what,
    message: issue.message,
  }));
  const summary = errors.map((e) => `${e.field} ${e.message}`).join("; ");
  return badRequest(`Invalid ${what}: ${summary}`, errors);
}

/** A procedure's TRPCError as the HTTP status it stands for, keeping its message. */
export function fromTRPCError(error: TRPCError): HttpError {
  const status = getHTTPStatusCodeFromError(error);
  if (status === 503) return databaseUnavailable();
  if (status >= 500) return new HttpError(500, INTERNAL_ERROR_MESSAGE);
  if (status === 400) {
    const problem = error.cause instanceof FieldProblem ? error.cause : new FieldProblem("body", error.message);
    return badRequest(error.message, [{ field: toWireField(problem.field), message: problem.message }]);
  }
  return new HttpError(status, error.message);
}

export function databaseUnavailable(): HttpError {
  return new HttpError(503, UNAVAILABLE_MESSAGE, {}, { "Retry-After": String(UNAVAILABLE_RETRY_SECONDS) });
}
