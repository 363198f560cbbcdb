import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient } from "@trpc/client";
import type { AppRouter, RouterInputs, RouterOutputs } from "@tokensmith/api";

export type { AppRouter, RouterInputs, RouterOutputs };
export { TRPCClientError };

export type TokensmithClient = TRPCClient<AppRouter>;

export type TokensmithCredentials =
  | { token: string; username?: never; password?: never }
  | { username: string; password: string; token?: never };

export type TokensmithClientOptions = TokensmithCredentials & {
  /** Where Tokensmith runs, e.g. "http://localhost:3000". */
  url: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
};

function authorization(credentials: TokensmithCredentials): string {
  if (credentials.token !== undefined) return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

/**
 * A typed client for Tokensmith's tRPC API:
 *   const ts = createTokensmithClient({ url, token });
 *   const { token } = await ts.token.create.mutate({ description: "CI", life: "3 days" });
 */
export function createTokensmithClient(options: TokensmithClientOptions): TokensmithClient {
  const header = authorization(options);
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/+$/, "")}/api/trpc`,
        headers: () => ({ Authorization: header }),
        fetch: options.fetch,
      }),
    ],
  });
}

