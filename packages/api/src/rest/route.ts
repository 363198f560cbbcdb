import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import type { AuthedContext } from "../context/index.js";
import { invalidInput } from "./errors.js";
import { badRequest } from "./http.js";
import type { OAuthForm } from "./oauth-form.js";

export type Reply = [status: number, body: unknown];
/**
 * REST calls the same per-procedure handlers the tRPC router wraps, after validating with the same
 * zod schemas and checking the caller: measured, the tRPC caller's middleware chain was a fifth of
 * the CPU of an authenticated GET.
 */
export type Handler = (call: { ctx: AuthedContext; req: IncomingMessage; id: string; subId: string; form?: OAuthForm }) => Promise<Reply> | Reply;

export interface Route {
  handlers: Record<string, Handler>;
  id: string;
  /** A second id in the path (a webhook delivery's), or "". */
  subId?: string;
  /** The path as documented, which allowed-endpoint patterns are matched against. */
  canonical: string;
  /** The media types its writes' bodies may have; default: application/json. */
  reads?: readonly string[];
  /**
   * An OAuth client endpoint (introspection, revocation): the body is read before the caller, who
   * may authenticate with client_secret_basic or client_secret_post (see oauth-form.ts); the
   * handler gets it as `form`.
   */
  oauthClient?: true;
}

export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error, what);
  return result.data;
}

/** A path segment naming an id: percent-decoded, then validated by `schema` (400 naming `field`). */
export function idFrom<T extends z.ZodType>(segment: string, schema: T, field = "id"): z.infer<T> {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw badRequest("Malformed id in the path", [{ field, message: "is not valid percent-encoding" }]);
  }
  return parse(schema, id, field);
}
