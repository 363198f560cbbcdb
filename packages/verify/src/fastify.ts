import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import { VerifyError } from "./errors.js";
import type { Caller, Verifier } from "./verifier.js";

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
 * of a scope through the plugin below.
 */
export function requireToken(verifier: Verifier) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    try {
      request.tokensmith = await verifier.verify(request.headers.authorization, {
        method: request.method,
        path: request.raw.url ?? request.url,
        ip: request.ip,
      });
      return undefined;
    } catch (error) {
      if (!(error instanceof VerifyError)) throw error;
      // Returning the reply tells Fastify the hook answered: the route handler does not run.
      return reply.code(error.status).headers(error.headers()).send(error.body());
    }
  };
}

export interface TokensmithPluginOptions {
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
    app.addHook("preHandler", requireToken(options.verifier));
    done();
  },
  { [Symbol.for("skip-override")]: true, [Symbol.for("fastify.display-name")]: "@tokensmith/verify" },
);
