import { dpopHeader } from "@tokensmith/core/dpop";
import { VerifyError } from "./errors.js";
import { originOption, type AdapterOptions } from "./served-url.js";
import type { Caller, RequestTarget, Verifier } from "./verifier.js";

export type { AdapterOptions } from "./served-url.js";

export type { Caller, Verifier } from "./verifier.js";

/**
 * What the middleware needs of Express's request and response, written out so that these types
 * stand alone (no @types/express needed); Express 4 and 5 objects fit them.
 */
export interface ExpressLikeRequest {
  method: string;
  url: string;
  originalUrl?: string;
  /** Express's idea of the client address (it honours the app's "trust proxy" setting). */
  ip?: string | undefined;
  headers: { authorization?: string | undefined; host?: string | undefined };
  /** The headers as sent, for the DPoP header (a repeated one is refused). */
  rawHeaders?: string[];
  /** Express's protocol and host (Express 5's `req.host` keeps the port): both honour "trust proxy". */
  protocol?: string;
  host?: string | undefined;
  tokensmith?: Caller;
}
export interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  set(headers: Record<string, string>): ExpressLikeResponse;
  json(body: unknown): unknown;
}
export type NextFunction = (error?: unknown) => void;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified caller, set by requireToken(). */
      tokensmith?: Caller;
    }
  }
}

/**
 * Express middleware: verifies the Bearer token for the request's method and original path
 * (before any router stripped a mount prefix) and `req.ip` (allowlists; set Express's "trust proxy"
 * when a proxy is in front), sets `req.tokensmith`, and answers 401, 403 or 503
 * itself with `WWW-Authenticate` (401/403) or `Retry-After` (503) and a small JSON body.
 * A DPoP-bound token's proof must name `options.origin` + the original URL; without `origin`, the
 * request's own protocol and Host (client-controlled; "trust proxy" applies): set it.
 */
export function requireToken(verifier: Verifier, options: AdapterOptions = {}) {
  const origin = originOption(options);
  return (req: ExpressLikeRequest, res: ExpressLikeResponse, next: NextFunction): void => {
    const accept = (caller: Caller) => {
      req.tokensmith = caller;
      next();
    };
    const answer = (error: unknown) => {
      if (!(error instanceof VerifyError)) return next(error);
      res.status(error.status).set(error.headers()).json(error.body());
    };
    let caller: Caller | Promise<Caller>;
    try {
      caller = verifier.check(req.headers.authorization, new ExpressTarget(req, origin));
    } catch (error) {
      return answer(error);
    }
    // A seen token is answered in this tick: next() runs without a promise in between.
    if (caller instanceof Promise) caller.then(accept, answer);
    else accept(caller);
  };
}

/**
 * The request as the verifier reads it; `ip`, `dpop` and `url` are getters, read only for a token
 * that needs them (Express computes `req.ip` and `req.protocol` on each read).
 */
class ExpressTarget implements RequestTarget {
  readonly method: string;
  readonly path: string;
  constructor(
    private readonly req: ExpressLikeRequest,
    private readonly origin: string | undefined,
  ) {
    this.method = req.method;
    this.path = req.originalUrl ?? req.url;
  }
  get ip(): string | undefined {
    return this.req.ip;
  }
  get dpop(): string | null | undefined {
    return dpopHeader(this.req.rawHeaders ?? []);
  }
  get url(): string | undefined {
    if (this.origin !== undefined) return this.origin + this.path;
    const host = this.req.host ?? this.req.headers.host;
    return this.req.protocol && host ? `${this.req.protocol}://${host}${this.path}` : undefined;
  }
}
