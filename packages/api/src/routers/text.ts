import type { z } from "zod";
import { isSafeText, UNSAFE_TEXT_MESSAGE } from "@tokensmith/core";

/**
 * Every string a procedure takes goes through here (passwords aside: they are only ever hashed),
 * so no field can carry to the database, a page or a terminal what core's isSafeText refuses — a
 * NUL among them, which PostgreSQL answers with an error instead of a row. Applied last, after any
 * trim, so "text\n" still trims to "text". A test walks every procedure's input to hold this.
 */
export const safeText = <T extends z.ZodString>(schema: T): T => schema.refine(isSafeText, UNSAFE_TEXT_MESSAGE) as T;
