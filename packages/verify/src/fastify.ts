import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import { dpopHeader } from "@tokensmith/core/dpop";
import { VerifyError } from "./errors.js";
import { originOption, type AdapterOptions } from "./served-url.js";
import type { Caller, RequestTarget, Verifier } from "./verifier.js";

export type { AdapterOptions } from "./served-url.js";

export type { Caller, Verifier } from "./verifier.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified caller, set by requireToken() or the tokensmith plugin. */
    tokensmith?: Caller | null;
  }
}

/**
 * A Fastify preHandler: verifies the Bearer token for the request's method, raw URL and
 * `request.ip` (allowlists; set Fastify's `trustProxy` when a proxy is in front), sets
 * `request.tokensmith`, or answers 401, 403 or 503 with `WWW-Authenticate` / `Retry-After` and a
 * small JSON body. Use it per route (`{ preHandler: requireToken(verifier) }`) or for every route
 * of a scope through the plugin below. A DPoP-bound token's proof must name `options.origin` + the
 * raw URL; without `origin`, the request's own protocol and Host (client-controlled; `trustProxy`
 * applies): set it.
 */
export function requireToken(verifier: Verifier, options: AdapterOptions = {}) {
  const origin = originOption(options);
  // Callback style, not async: a seen token calls done() in this tick, with no promise in between.
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    const accept = (caller: Caller) => {
      request.tokensmith = caller;
      done();
    };
    const answer = (error: unknown) => {
      if (!(error instanceof VerifyError)) return done(error as Error);
      // Answering without calling done() tells Fastify the hook answered: the route handler does not run.
      void reply.code(error.status).headers(error.headers()).send(error.body());
    };
    let caller: Caller | Promise<Caller>;
    try {
      caller = verifier.check(request.headers.authorization, new FastifyTarget(request, origin));
    } catch (error) {
      return answer(error);
    }
    if (caller instanceof Promise) caller.then(accept, answer);
    else accept(caller);
  };
}

/** The request as the verifier reads it; `ip` (Fastify's trustProxy getter), `dpop` and `url` are read only for a token that needs them. */
class FastifyTarget implements RequestTarget {
  readonly method: string;
  readonly path: string;
  constructor(
    private readonly request: FastifyRequest,
    private readonly origin: string | undefined,
  ) {
    this.method = request.method;
    this.path = request.raw.url ?? request.url;
  }
  get ip(): string {
    return this.request.ip;
  }
  get dpop(): string | null | undefined {
    return dpopHeader(this.request.raw.rawHeaders);
  }
  get url(): string | undefined {
    if (this.origin !== undefined) return this.origin + this.path;
    // Fastify 5's request.host keeps the port; both honour trustProxy.
    return this.request.host ? `${this.request.protocol}://${this.request.host}${this.path}` : undefined;
  }
}

export interface TokensmithPluginOptions extends AdapterOptions {
  verifier: Verifier;
}

/**
 * `app.register(tokensmith, { verifier })`: every route registered in the same scope (and its
 * children) requires a token. It applies to the scope it is registered in, not a child of its own
 * (what fastify-plugin's skip-override does, without depending on it).
 */
export const tokensmith: FastifyPluginCallback<TokensmithPluginOptions> = Object.assign(
  (app: FastifyInstance, options: TokensmithPluginOptions, done: (error?: Error) => void) => {
    app.decorateRequest("tokensmith", null);
    app.addHook("preHandler", requireToken(options.verifier, options));
    done();
  },
  { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "@tokensmith/verify" },
);
