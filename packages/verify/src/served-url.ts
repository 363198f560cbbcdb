/** What the framework adapters (express.ts, fastify.ts) take besides the verifier. */
export interface AdapterOptions {
  /**
   * This API's public origin (`https://api.example.com`): a DPoP proof's `htu` must be it plus the
   * request's path. Without it, the origin is the request's own protocol and Host, which the client
   * (or, with trust proxy, X-Forwarded-Proto/-Host) chooses: set it.
   */
  origin?: string;
}

/** `options.origin` checked once, at setup: scheme://host[:port] only, no trailing slash. */
export function originOption(options: AdapterOptions): string | undefined {
  if (options.origin === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(options.origin);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin === "null" || options.origin.replace(/\/$/, "") !== url.origin) {
    throw new TypeError("requireToken: `origin` must be this API's public origin, e.g. https://api.example.com (no path)");
  }
  return url.origin;
}
