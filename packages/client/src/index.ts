import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { ClientRouter } from "./generated/router.js";

/** The Tokensmith API's procedures, with their real input and output types. */
export type AppRouter = ClientRouter;
export type RouterInputs = inferRouterInputs<ClientRouter>;
export type RouterOutputs = inferRouterOutputs<ClientRouter>;
export { TRPCClientError };

export type TokensmithClient = TRPCClient<ClientRouter>;

export type TokensmithCredentials =
  | { token: string; username?: never; password?: never }
  | { username: string; password: string; token?: never };

export type TokensmithClientOptions = TokensmithCredentials & {
  /** Where Tokensmith runs, e.g. "http://localhost:3000". */
  url: string;
  /** A fetch to use instead of the global one (a proxy agent, a test double, an older runtime). */
  fetch?: typeof fetch;
};

/** The server takes at most this many calls in one batched request. */
const MAX_BATCH_CALLS = 10;

/** Base64 of UTF-8 text with what every runtime has (btoa, TextEncoder), so browsers need no polyfill. */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function authorization(credentials: TokensmithCredentials): string {
  if (credentials.token !== undefined) return `Bearer ${credentials.token}`;
  return `Basic ${base64(`${credentials.username}:${credentials.password}`)}`;
}

/**
 * A typed client for Tokensmith's tRPC API; works in Node 20+, browsers, Bun and Deno:
 *   const ts = createTokensmithClient({ url, token });
 *   const { token } = await ts.token.create.mutate({ description: "CI", life: "3 days" });
 */
export function createTokensmithClient(options: TokensmithClientOptions): TokensmithClient {
  const header = authorization(options);
  return createTRPCClient<ClientRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, "")}/api/trpc`,
        headers: () => ({ Authorization: header }),
        maxItems: MAX_BATCH_CALLS,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
