import { TRPCError } from "@trpc/server";

/** The one sentence for a refused guess, on sign-in, Basic over REST and Basic over tRPC alike. */
export const tooManyAttemptsMessage = (seconds: number) => `Too many failed sign-ins. Try again in ${seconds} seconds.`;

export function tooManyAttempts(seconds: number): TRPCError {
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message: tooManyAttemptsMessage(seconds) });
}

/** All a client hears of a fault of ours (REST and tRPC alike); what broke goes to the log. */
export const INTERNAL_ERROR_MESSAGE = "Internal server error";

export const UNAVAILABLE_MESSAGE = "The database cannot be reached right now. Try again in a few seconds.";
export const UNAVAILABLE_RETRY_SECONDS = 5;

export function unavailable(): TRPCError {
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: UNAVAILABLE_MESSAGE });
}

/** A token used from outside its allowlist. Names no address: neither the caller's nor the list's. */
export const ADDRESS_NOT_ALLOWED_MESSAGE = "This token may not be used from this address";
