import { z } from "zod";

export const username = z
  .string({ error: "is required" })
  .trim()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, "must be 1 to 64 letters, digits, or . _ @ -");
export const password = z
  .string({ error: "is required" })
  .min(8, "must be at least 8 characters")
  .max(200, "must be at most 200 characters");

export const createUserInput = z.object({ username, password, isAdmin: z.boolean().default(false) });
export const usernameInput = z.object({ username });
export const resetPasswordInput = z.object({ username, password });

export interface UserView {
  id: string;
  username: string;
  isAdmin: boolean;
  createdAt: string;
  activeTokens: number;
}
