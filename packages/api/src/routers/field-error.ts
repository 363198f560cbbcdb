import { TRPCError } from "@trpc/server";

/** Which input field a BAD_REQUEST is about, so REST can answer `errors: [{ field, message }]`. */
export class FieldProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A BAD_REQUEST about one input field (named as the procedure's input names it). */
export function invalidField(field: string, message: string, summary: string = message): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message: summary, cause: new FieldProblem(field, message) });
}
