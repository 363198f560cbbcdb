import { TRPCError } from "@trpc/server";
import { endpointsCovered } from "@tokensmith/core";
import type { AuthedContext } from "../../context/index.js";

/**
 * No escalation: a request authenticated by a token may only issue (create or rotate into) a token
 * whose endpoints its own token has, and that does not outlive it. Sessions and passwords are
 * the user's own authority and have no such limit.
 */
export function assertNoEscalation(ctx: AuthedContext, wanted: { endpoints: string[] | null; expiresAt: number }): void {
  const own = ctx.caller.token;
  if (!own) return;
  if (!endpointsCovered(own.endpoints, wanted.endpoints)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `This token may only issue tokens limited to its own endpoints (${(own.endpoints ?? []).join(", ")})`,
    });
  }
  // Its end: expiry, or the end of its rotation overlap when it is being replaced.
  const ownEnd = Math.min(own.expiresAt, own.revokedAt ?? Infinity);
  if (wanted.expiresAt > ownEnd) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `A token cannot issue a token that outlives it: this one stops at ${new Date(ownEnd).toISOString()}`,
    });
  }
}

/** What a new token inherits when a token creates it without naming endpoints: its own limits. */
export function defaultEndpoints(ctx: AuthedContext, requested: string[] | undefined): string[] | null {
  return requested ?? ctx.caller.token?.endpoints ?? null;
}
