import { TRPCClientError } from "@trpc/client";

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED";
}

/** The server's own message (it is written for people), or a generic one when the network failed. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return "Something went wrong. Check your connection and try again.";
}
