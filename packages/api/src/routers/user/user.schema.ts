import { z } from "zod";
import { USERNAME_PATTERN, USERNAME_RULE } from "@tokensmith/core";

export const username = z
  .string({ error: "is required" })
  .trim()
  .regex(USERNAME_PATTERN, USERNAME_RULE);
export const password = z
  .string({ error: "is required" })
  .min(8, "must be at least 8 characters")
  .max(200, "must be at most 200 characters");

export const createUserInput = z.object({ username, password, isAdmin: z.boolean().default(false) });
export const usernameInput = z.object({ username });
export const resetPasswordInput = z.object({ username, password });
/** "own": the user introspects its own tokens only; "any": every user's (a resource server's account). */
export const introspectionScope = z.enum(["own", "any"], { message: 'must be "own" or "any"' });
export const setIntrospectionInput = z.object({ username, introspect: introspectionScope });

export interface UserView {
  id: string;
  username: string;
  isAdmin: boolean;
  /** "service": a service account (no password, never signs in); see the serviceAccount procedures. */
  accountType: "person" | "service";
  /** Whose tokens it may introspect: "any" for administrators and users granted it. */
  introspect: "own" | "any";
  createdAt: string;
  activeTokens: number;
}
