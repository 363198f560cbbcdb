import { TRPCClientError } from "@trpc/client";

type ErrorCode = "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "BAD_REQUEST" | "CONFLICT" | "TOO_MANY_REQUESTS" | string;

function codeOf(error: unknown): ErrorCode | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}

export function isUnauthorized(error: unknown): boolean {
  return codeOf(error) === "UNAUTHORIZED";
}

export const isForbidden = (error: unknown) => codeOf(error) === "FORBIDDEN";
export const isNotFound = (error: unknown) => codeOf(error) === "NOT_FOUND";

/**
 * Worth trying again by itself: the network, a proxy's error page, the server's 5xx. A 4xx will
 * answer the same, so the person sees it at once instead of after seconds of retries.
 */
export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined) return true;
  return code === "INTERNAL_SERVER_ERROR" || code === "SERVICE_UNAVAILABLE" || code === "TIMEOUT" || code === "BAD_GATEWAY" || code === "GATEWAY_TIMEOUT";
}

/** What a person can act on. The server's 4xx messages are written for people; anything else is not. */
export function errorMessage(error: unknown): string {
  const code = codeOf(error);
  if (code === undefined) {
    // No tRPC answer at all: the request never arrived ("Failed to fetch"), or something other
    // than Tokensmith answered — a proxy's HTML error page ("Unexpected token '<'").
    const text = error instanceof Error ? error.message : "";
    if (/JSON|Unexpected token|Unexpected end/i.test(text)) {
      return "The server sent an answer the dashboard could not read, perhaps from a proxy in between. Try again in a moment.";
    }
    return "Tokensmith could not be reached. Check your connection, then try again.";
  }
  if (code === "SERVICE_UNAVAILABLE") return "Tokensmith cannot reach its database right now. Try again in a few seconds.";
  if (code === "INTERNAL_SERVER_ERROR") return "Tokensmith ran into a problem on its side. Try again; if it keeps happening, tell your administrator.";
  if (code === "TIMEOUT" || code === "GATEWAY_TIMEOUT" || code === "BAD_GATEWAY") return "The server took too long to answer. Try again in a moment.";
  return (error as Error).message;
}
