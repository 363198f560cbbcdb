import { dpopChallenge } from "@tokensmith/core/dpop";

/** Why a request was refused: the answers a protected API gives (RFC 6750, RFC 9449 §7.1 and 503). */
export type VerifyErrorCode = "invalid_token" | "invalid_dpop_proof" | "insufficient_scope" | "unavailable";

const STATUS: Record<VerifyErrorCode, 401 | 403 | 503> = { invalid_token: 401, invalid_dpop_proof: 401, insufficient_scope: 403, unavailable: 503 };

/** Seconds a client should wait after a 503: the feed reconnects within about that long. */
export const RETRY_AFTER_SECONDS = 1;

/**
 * A refusal, ready to be answered: `status`, the RFC 6750 `error` code, and the
 * `WWW-Authenticate` challenge to send with a 401 or 403.
 */
export class VerifyError extends Error {
  override readonly name = "VerifyError";
  readonly status: 401 | 403 | 503;
  readonly code: VerifyErrorCode;
  /**
   * `Bearer realm="…", error="…"`. A request that carried no token gets the bare challenge, as
   * RFC 6750 §3.1 asks (no error code when no credentials were sent). A refusal by the DPoP rules
   * (a bound token's proof, or the DPoP scheme with an unbound token) gets RFC 9449's
   * `DPoP algs="…", error="…"` instead. Adapters send it with 401 and 403; a 503 gets `Retry-After` instead.
   */
  readonly wwwAuthenticate: string;

  constructor(code: VerifyErrorCode, message: string, options: { realm: string; tokenSent?: boolean; dpop?: boolean }) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
    const realm = `Bearer realm="${quotable(options.realm)}"`;
    if (options.dpop && (code === "invalid_token" || code === "invalid_dpop_proof")) this.wwwAuthenticate = dpopChallenge(code, quotable(message));
    else this.wwwAuthenticate = code === "unavailable" || options.tokenSent === false ? realm : `${realm}, error="${code}", error_description="${quotable(message)}"`;
  }

  /** The headers an HTTP answer carries for this refusal. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (this.status === 503) headers["Retry-After"] = String(RETRY_AFTER_SECONDS);
    else headers["WWW-Authenticate"] = this.wwwAuthenticate;
    return headers;
  }

  /** The small JSON body adapters answer with. */
  body(): { error: VerifyErrorCode; message: string } {
    return { error: this.code, message: this.message };
  }

  /** The whole answer for fetch-style handlers (Hono, Next route handlers, Bun, Deno). */
  toResponse(): Response {
    return Response.json(this.body(), { status: this.status, headers: this.headers() });
  }
}

/** A quoted-string may not hold `"` or `\` unescaped, nor control characters: keep it plain. */
function quotable(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "");
}
